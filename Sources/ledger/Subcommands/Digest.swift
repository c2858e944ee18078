import ArgumentParser

extension LedgerCommand {
    struct Digest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain head as SEQ:HEX — publish it; `ledger verify --digest` checks it later.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            print(try options.openEvents(readOnly: true).digest())
        }
    }
}
