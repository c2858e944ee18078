import ArgumentParser
import CaseDomain

extension LedgerCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the log as JSON Lines on stdout, in seq order.")

        @OptionGroup var options: StoreOptions

        @Option(help: "Start at this seq.")
        var from: UInt64 = 1

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            try store.exportJSONLines(from: from) { writeStdout($0); try OutputStatus.check() }
        }
    }
}
