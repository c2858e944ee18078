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

    /// Opens the event log. Only `create` (the commands that record events) may make a new
    /// store; every other command needs one that exists.
    func openEvents(readOnly: Bool, create: Bool = false) throws -> EventStore {
        try prepareStoreDirectory(create: create && !readOnly)
        return try EventStore(directory: eventsPath, codec: CaseEventCodec(), options: .init(readOnly: readOnly))
    }

    var seedsDirectory: URL {
        get throws {
            // An explicit choice is authoritative: it is used, or it is an error — never
            // silently replaced by the built-in reference data.
            if let explicit = try explicitSeedsDirectory() { return explicit }
            var candidates: [String] = []
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

    /// The ledger with its rules, for commands that record events: the hall's windows from the
    /// reference data make it check windows and grants (Docs/HALLRULES.md).
    func openLedger() throws -> CaseLedger {
        let calendar = try calendar()
        let hall = try hallRoster()
        return try CaseLedger(store: try openEvents(readOnly: false, create: true), calendar: calendar, hall: hall)
    }

    /// The hall's windows and clerks (`windows.json` of the reference data).
    func hallRoster() throws -> HallRoster {
        do { return HallRoster(windows: try ServiceWindow.load(from: try seedsDirectory.appendingPathComponent("windows.json"))) } catch let error as SeedError {
            throw UserError("\(error)")
        }
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
