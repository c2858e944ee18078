import ArgumentParser
import Ledger

extension LedgerCommand {
    struct Digest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the log's size and Merkle root as SIZE:HEX — publish it; `ledger verify --digest` and `ledger prove --from` use it later.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            do {
                print(try options.openEvents(readOnly: true).treeHead())
            } catch is TreeNotBuilt {
                // A store written before the tree existed: build it (the read-only store is released by now).
                print(try options.openForProofs().treeHead())
            }
        }
    }
}
