import CaseDomain
import Foundation
import LMDB
import Ledger
import ProjectionKit
import DomainTestSupport
import TestSupport
@testable import CaseStateProjection

/// The repository's calendars and a small test catalog.
enum Fixtures {
    /// The package root: the nearest folder above this file holding Package.swift.
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    private static let loadedCalendar = Result { () throws(CalendarError) -> WorkCalendar in
        try WorkCalendar.load(directory: packageRoot.appendingPathComponent("seeds/calendars"))
    }

    /// The calendars of seeds/calendars (2023–2026), loaded once per test process.
    static func calendar() throws -> WorkCalendar { try loadedCalendar.get() }

    static func item(_ code: String, legal: Int, promised: Int) -> CatalogItem {
        CatalogItem(code: code, name: "测试事项 \(code)", department: "民政", level: .district, legalDays: legal,
                    promisedDays: promised, caseType: promised == 0 ? .immediate : .promised, onlineCapable: true,
                    maxVisits: 1, crossProvince: false, metroCircle: false, themes: [])
    }

    /// T-3: promised 3 working days; T-5: promised 5; T-0: 即办件 (decided on the spot).
    static let items = [item("T-3", legal: 20, promised: 3), item("T-5", legal: 20, promised: 5),
                        item("T-0", legal: 5, promised: 0)]
}

/// A CST date from a YYYY-MM-DD literal (traps on a typo).
func cst(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
    return date
}

func caseNo(_ raw: String) -> CaseNumber {
    do { return try CaseNumber(raw) } catch { preconditionFailure("bad test case number \(raw): \(error)") }
}

/// A hand-built ledger over a temporary store: the test catalog published on 2023-01-01, then
/// whatever the test records. Views go in folders beside the log; keep the value alive while used.
final class Hall: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: EventStore
    let ledger: CaseLedger
    let calendar: WorkCalendar

    init() async throws {
        directory = TemporaryDirectory("case-state")
        let events = directory.appending("events")
        try FileManager.default.createDirectory(atPath: events, withIntermediateDirectories: true)
        store = try EventStore(directory: events, codec: CaseEventCodec(), options: .init(initialMapSize: 32 << 20, durable: false))
        calendar = try Fixtures.calendar()
        ledger = try CaseLedger(store: store, calendar: calendar)
        try await ledger.publishCatalog(items: Fixtures.items, at: at("2023-01-01T09:00:00+08:00"), actor: "catalog-admin")
    }

    /// A runner with only the case-state projection, its views in `name`.
    func runner(_ name: String = "views", batchSize: Int = 50_000) throws -> ProjectionRunner {
        let runner = try ProjectionRunner(store: store, directory: directory.appending(name),
                                          projections: [CaseStateProjection(calendar: calendar)])
        runner.batchSize = batchSize
        return runner
    }

    /// Records one event; `time` is a CST time on `day`, e.g. ("2023-06-08", "10:00").
    func record(_ number: String, _ data: EventData, _ day: String, _ time: String = "10:00") async throws {
        try await ledger.record(asClerkGivesIt(data), to: caseNo(number), at: at("\(day)T\(time):00+08:00"), actor: "clerk-01")
    }

    func submit(_ number: String, _ item: String, _ day: String, _ time: String = "09:00") async throws {
        try await record(number, .submitted(Submission(item: item, channel: .window,
                                                       applicant: Applicant(kind: .person, ref: "P-\(number)"))), day, time)
    }

    /// `accepted` as a clerk records it: limits and deadline left to the rules.
    func accept(_ number: String, _ item: String, window: String, _ day: String, _ time: String = "10:00") async throws {
        try await record(number, accepted(item, at: window), day, time)
    }

    /// Submitted at 09:00 and accepted at 10:00 the same day.
    func open(_ number: String, _ item: String, window: String, _ day: String) async throws {
        try await submit(number, item, day)
        try await accept(number, item, window: window, day)
    }
}

/// Every entry of every database of the live `caseState` view, database by database in key order.
func dump(_ runner: ProjectionRunner) throws -> [String: [[UInt8]]] {
    try runner.read(.caseState) { reader in
        var out: [String: [[UInt8]]] = [:]
        for db in CaseStateDatabase.allCases {
            let raw: RawDatabase = reader.databases(db.rawValue)
            out[db.rawValue] = try reader.transaction.withCursor(raw) { cursor in
                var entries: [[UInt8]] = []
                var entry = try cursor.first()
                while let (key, value) = entry {
                    entries.append(Array(key))
                    entries.append(Array(value))
                    entry = try cursor.next()
                }
                return entries
            }
        }
        return out
    }
}

extension Array where Element == CaseStateReport {
    var numbers: [String] { map(\.caseNumber.rawValue) }
}
