import ArgumentParser
import Foundation

extension LedgerCommand {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Events, cases and bytes on disk.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            let stats = try options.openEvents(readOnly: true).statistics()
            print("events       \(stats.events)")
            print("cases        \(stats.streams)   (streams, the catalog's included)")
            print("bytes        \(stats.bytesOnDisk)   (\(String(format: "%.1f", Double(stats.bytesOnDisk) / 1_048_576)) MiB on disk; map \(stats.mapSize / 1_048_576) MiB)")
            print("head         \(stats.head)")
        }
    }
}
