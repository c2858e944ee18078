import ArgumentParser
import CaseDomain
import Foundation
import Ledger

/// Options every subcommand shares: where the store and the reference data are.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "DIR"))
    var store: String = "./ledger-data"

    @Option(name: .long, help: ArgumentHelp("The reference data (catalog, calendars, windows, rules). Default: $LEDGER_SEEDS, ./seeds, or the checkout's seeds/.", valueName: "DIR"))
    var seeds: String?

    var eventsPath: String { store + "/events" }

    /// Opens the event log; for reading, the store must exist.
    func openEvents(readOnly: Bool) throws -> EventStore {
        if readOnly {
            guard FileManager.default.fileExists(atPath: eventsPath + "/data.mdb") else {
                throw UserError("no store at \(store) (create one with `ledger import` or `ledger demo`, or pass --store DIR)")
            }
        } else {
            try FileManager.default.createDirectory(atPath: eventsPath, withIntermediateDirectories: true)
        }
        return try EventStore(directory: eventsPath, codec: CaseEventCodec(), options: .init(readOnly: readOnly))
    }

    var seedsDirectory: URL {
        get throws {
            var candidates: [String] = []
            if let seeds { candidates.append(seeds) }
            if let env = ProcessInfo.processInfo.environment["LEDGER_SEEDS"] { candidates.append(env) }
            candidates.append("./seeds")
            // The checkout this binary was built from (…/Sources/ledger/StoreOptions.swift → …/seeds).
            candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path)
            for path in candidates where FileManager.default.fileExists(atPath: path + "/calendars") {
                return URL(fileURLWithPath: path)
            }
            throw UserError("reference data not found (looked in \(candidates.joined(separator: ", "))); pass --seeds DIR")
        }
    }

    func calendar() throws -> WorkCalendar {
        try WorkCalendar.load(directory: try seedsDirectory.appendingPathComponent("calendars"))
    }

    /// The ledger with its rules, for commands that record events.
    func openLedger() throws -> CaseLedger {
        try CaseLedger(store: try openEvents(readOnly: false), calendar: try calendar())
    }
}

/// A mistake of the person at the terminal: printed as one line, exit status 1.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Parses a case number argument.
func caseNumberArgument(_ raw: String) throws -> CaseNumber {
    do { return try CaseNumber(caseNumber: raw) } catch { throw ValidationError(error.description) }
}
