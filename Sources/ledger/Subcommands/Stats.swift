import ArgumentParser
import Foundation

extension LedgerCommand {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Events, cases and bytes on disk.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let stats = try store.statistics()
            // The published form of the head: tree size and root, as `ledger digest` prints it
            // (a store written before the tree existed shows its chain head until it is upgraded).
            let head = (try? store.treeHead().description) ?? stats.head.description
            print("events       \(stats.events)")
            print("cases        \(stats.streams)   (streams, the catalog's included)")
            print("bytes        \(stats.bytesOnDisk)   (\(String(format: "%.1f", Double(stats.bytesOnDisk) / 1_048_576)) MiB on disk; map \(stats.mapSize / 1_048_576) MiB)")
            print("head         \(head)")
        }
    }
}
