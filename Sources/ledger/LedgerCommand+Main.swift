import ArgumentParser
import Foundation
import LMDB

extension LedgerCommand {
    /// The entry point: ArgumentParser's, with what every command needs around it — a last line
    /// instead of a bare signal when a damaged store takes the process down, no death by SIGPIPE,
    /// stdout checked before exiting 0, and errors rewritten as one plain line.
    static func main() async {
        let store = CommandLine.storeArgument
        FatalDamageReport.install(line: "Error: " + StoreDamage.advice(store: store, finding: "the process stopped on a damaged or unreadable page"))
        // A closed pipe is an error to report, not a reason to die silently.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            try OutputStatus.finish()
        } catch {
            CreatedStore.removeIfNothingRecorded()
            let line = ErrorLine(error, store: store)
            if let status = line.exitStatus {
                FileHandle.standardError.write(Data(("Error: " + line.text + "\n").utf8))
                Foundation.exit(status)
            }
            // --help, --version and explicit exit codes keep ArgumentParser's own output.
            if line.error is ExitCode || exitCode(for: line.error) == .success { exit(withError: line.error) }
            // A usage error is one line too: ArgumentParser's message without its usage block.
            let message = message(for: line.error).split(separator: "\n").first.map(String.init) ?? "\(line.error)"
            let hint = line.isUsageError ? " (run the command with --help for its usage)" : ""
            FileHandle.standardError.write(Data(("Error: " + message + hint + "\n").utf8))
            Foundation.exit(exitCode(for: line.error).rawValue)
        }
    }
}

extension CommandLine {
    /// The `--store` argument as typed (default `./ledger-data`), for messages written before
    /// or without parsing.
    static var storeArgument: String {
        let arguments = CommandLine.arguments
        for (i, argument) in arguments.enumerated() {
            if argument == "--store", i + 1 < arguments.count { return arguments[i + 1] }
            if argument.hasPrefix("--store=") { return String(argument.dropFirst("--store=".count)) }
        }
        return "./ledger-data"
    }
}
