import CaseDomain
import Foundation
import Ledger
import Testing

/// Interchange lines for the import tests. Seed items: LZH-C-0009 (legal 20, promised 3) and
/// LZH-C-0002 (legal 5, promised 0).
enum Lines {
    static let id1 = "3f0a6c1e-8d2b-4c55-9a11-0d1e2f3a4b01"

    static func event(id: String? = nil, case number: String = "LZH-2023-000001", type: String, at time: String,
                      actor: String = "clerk-07", data: String = "{}") -> String {
        let idField = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(idField)"case":"\#(number)","type":"\#(type)","at":"\#(time)","actor":"\#(actor)","data":\#(data)}"#
    }

    static func submitted(_ number: String, item: String = "LZH-C-0009", at time: String, id: String? = nil) -> String {
        event(id: id, case: number, type: "submitted", at: time,
              data: #"{"item":"\#(item)","channel":"window","applicant":{"kind":"person","ref":"P-\#(number.suffix(3))"}}"#)
    }

    static func accepted(_ number: String, item: String = "LZH-C-0009", at time: String) -> String {
        event(case: number, type: "accepted", at: time, data: #"{"item":"\#(item)","window":"W01"}"#)
    }

    /// Two cases, ten events, one blank line (11 lines).
    static let good: [String] = [
        submitted("LZH-2023-000001", at: "2023-09-28T09:00:00+08:00", id: id1),
        accepted("LZH-2023-000001", at: "2023-09-28T10:00:00+08:00"),
        submitted("LZH-2023-000002", item: "LZH-C-0002", at: "2023-09-28T10:05:00+08:00"),
        event(type: "visited", at: "2023-09-28T11:00:00+08:00"),
        "",
        event(case: "LZH-2023-000002", type: "accepted", at: "2023-09-28T10:30:00+08:00",
              data: #"{"item":"LZH-C-0002","window":"W03","legalDays":5,"promisedDays":0,"deadline":"2023-09-28"}"#),
        event(type: "approved", at: "2023-10-09T16:00:00+08:00", data: #"{"certificate":{"number":"C-0001","electronic":true}}"#),
        event(type: "delivered", at: "2023-10-09T16:05:00+08:00", data: #"{"method":"electronic"}"#),
        event(type: "evaluated", at: "2023-10-09T16:10:00+08:00", data: #"{"level":5,"channel":"qrCode","comment":"慢"}"#),
        event(type: "followedUp", at: "2023-10-10T09:00:00+08:00"),
        event(type: "rectified", at: "2023-10-12T09:00:00+08:00", data: #"{"note":"增设窗口"}"#),
    ]

    /// Lines 1–2 of the bad files: fine on their own.
    static let goodStart = [
        submitted("LZH-2023-000101", at: "2023-09-28T09:00:00+08:00"),
        accepted("LZH-2023-000101", at: "2023-09-28T10:00:00+08:00"),
    ]
}

/// A file whose line `line` is bad, and what the error must say.
struct BadFile: Sendable, CustomTestStringConvertible {
    let name: String
    let lines: [String]
    let line: Int
    let reason: String
    var testDescription: String { name }

    /// Lines 1–2 fine, line 3 bad.
    init(_ name: String, third: String, reason: String) {
        self.name = name
        lines = Lines.goodStart + [third]
        line = 3
        self.reason = reason
    }

    init(_ name: String, lines: [String], line: Int, reason: String) {
        self.name = name
        self.lines = lines
        self.line = line
        self.reason = reason
    }
}

@Suite("JSON Lines import and export")
struct ImportTests {
    static let badFiles: [BadFile] = [
        BadFile("malformed JSON", third: #"{"case":"LZH-2023-000101","type":"visited","#,
                reason: "malformed JSON (expected one object with id, case, type, at, actor, data)"),
        BadFile("malformed JSON after a blank line",
                lines: [Lines.goodStart[0], "   ", Lines.goodStart[1], "not json"], line: 4, reason: "malformed JSON"),
        BadFile("unknown event type",
                third: Lines.event(case: "LZH-2023-000101", type: "approvedd", at: "2023-09-28T11:00:00+08:00"),
                reason: #"unknown event type "approvedd""#),
        BadFile("missing case number",
                third: #"{"type":"visited","at":"2023-09-28T11:00:00+08:00","actor":"clerk-07","data":{}}"#,
                reason: #"missing "case" (the case number)"#),
        BadFile("invalid case number",
                third: Lines.event(case: "LZH 2023", type: "visited", at: "2023-09-28T11:00:00+08:00"),
                reason: #"invalid case number "LZH 2023": it contains a space or a control character"#),
        BadFile("month 13", third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-13-01T00:00:00+08:00"),
                reason: #"bad timestamp "2023-13-01T00:00:00+08:00": use RFC 3339 with a zone"#),
        BadFile("timestamp without a zone",
                third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T11:00:00"),
                reason: #"bad timestamp "2023-09-28T11:00:00": use RFC 3339 with a zone"#),
        BadFile("1 MiB line",
                third: Lines.event(case: "LZH-2023-000101", type: "withdrawn", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"reason":"\#(String(repeating: "x", count: 1 << 20))"}"#),
                reason: "more than the 65536 allowed"),
        BadFile("a data string over 1000 bytes",
                third: Lines.event(case: "LZH-2023-000101", type: "withdrawn", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"reason":"\#(String(repeating: "长", count: 400))"}"#),
                reason: "data.reason: is longer than 1000 bytes"),
        BadFile("illegal transition",
                third: Lines.event(case: "LZH-2023-000101", type: "delivered", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"method":"window"}"#),
                reason: "case LZH-2023-000101 is processing: delivered refused: only an approved case is delivered"),
        BadFile("dated before the previous event",
                third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T09:30:00+08:00"),
                reason: "before the case's previous event"),
        BadFile("a year without a calendar",
                third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2027-01-04T09:00:00+08:00"),
                reason: "calendar for 2027 not loaded"),
        BadFile("unknown data field",
                third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"who":"applicant"}"#),
                reason: "data.who: is not a field of this event"),
        BadFile("wrong field type",
                third: Lines.event(case: "LZH-2023-000101", type: "extended", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"days":"ten"}"#),
                reason: "data.days: expected an integer 1–60, found a string"),
        BadFile("missing data field",
                third: Lines.event(case: "LZH-2023-000101", type: "suspended", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"reason":"听证"}"#),
                reason: "data.procedure: is required (one of hearing, tender"),
        BadFile("unknown word",
                third: Lines.event(case: "LZH-2023-000101", type: "delivered", at: "2023-09-28T11:00:00+08:00",
                                   data: #"{"method":"pigeon"}"#),
                reason: #"data.method: "pigeon" is not one of window, courier, electronic"#),
        BadFile("bad id", third: Lines.event(id: "not-a-uuid", case: "LZH-2023-000101", type: "visited",
                                             at: "2023-09-28T11:00:00+08:00"),
                reason: #"bad id "not-a-uuid": expected a UUID"#),
        BadFile("unknown item on submitted",
                third: Lines.submitted("LZH-2023-000102", item: "LZH-X-9999", at: "2023-09-28T11:00:00+08:00"),
                reason: "case LZH-2023-000102 is new: submitted refused: item LZH-X-9999 is not in the catalog"),
        BadFile("a case event on the catalog stream",
                third: Lines.event(case: "CATALOG", type: "visited", at: "2023-09-28T11:00:00+08:00"),
                reason: "only itemPublished and itemRevised belong to CATALOG"),
        BadFile("an actor the ledger refuses",
                third: Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T11:00:00+08:00",
                                   actor: String(repeating: "a", count: 65)),
                reason: "invalid actor"),
        BadFile("an id twice in one file",
                third: Lines.event(id: "6d1f1c9e-0000-4000-8000-000000000001", case: "LZH-2023-000101", type: "visited",
                                   at: "2023-09-28T11:00:00+08:00"),
                reason: "event id 6d1f1c9e-0000-4000-8000-000000000001 is also on line 1")
            .withLines { $0[0] = $0[0].replacingOccurrences(of: #"{"case""#, with: #"{"id":"6d1f1c9e-0000-4000-8000-000000000001","case""#) },
        BadFile("the same line twice, another case between",
                lines: Lines.goodStart + [Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T11:00:00+08:00"),
                                          Lines.submitted("LZH-2023-000102", at: "2023-09-28T11:05:00+08:00"),
                                          Lines.event(case: "LZH-2023-000101", type: "visited", at: "2023-09-28T11:00:00+08:00")],
                line: 5, reason: "is also on line 3"),
    ]

    @Test func goodFileImports() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let before = try t.store.digest()
        let summary = try await t.ledger.importJSONLines(Data(jsonLines: Lines.good))
        #expect(summary.lines == 11)
        #expect(summary.appended == 10)
        #expect(summary.alreadyRecorded == 0)
        #expect(summary.cases == 2)
        #expect(summary.head == (try t.store.digest()))
        #expect(summary.head.seq == before.seq + 10)

        let first = try t.ledger.file(of: caseNo("LZH-2023-000001"))
        #expect(first.status == .delivered)
        #expect(first.acceptance == Acceptance(item: "LZH-C-0009", window: "W01", legalDays: 20, promisedDays: 3,
                                               deadline: cst("2023-10-09")))
        #expect(first.visits == 1)
        #expect(first.evaluations == [Evaluation(level: 5, channel: .qrCode, comment: "慢")])
        #expect(first.openBadReviewAt == nil)
        let second = try t.ledger.file(of: caseNo("LZH-2023-000002"))
        #expect(second.status == .processing)
        #expect(second.acceptance?.deadline == cst("2023-09-28"))
        // The line's id is kept; the accepted event holds the limits and deadline filled in.
        let events = try t.store.events(of: caseNo("LZH-2023-000001"))
        #expect(events.first?.id == UUID(uuidString: Lines.id1))
        #expect(try events[1].data() == .accepted(first.acceptance!))
    }

    @Test func importingTwiceAppendsNothingTheSecondTime() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let file = Data(jsonLines: Lines.good)
        let first = try await t.ledger.importJSONLines(file)
        let second = try await t.ledger.importJSONLines(file)
        #expect(second.appended == 0)
        #expect(second.alreadyRecorded == 10)
        #expect(second.head == first.head)
        #expect(try t.store.digest() == first.head)
        // From a file on disk as well.
        let url = URL(fileURLWithPath: t.directory.appending("good.jsonl"))
        try file.write(to: url)
        let third = try await t.ledger.importJSONLines(contentsOf: url)
        #expect(third.appended == 0 && third.alreadyRecorded == 10)
    }

    @Test(arguments: badFiles)
    func badFileIsRefusedWholly(_ bad: BadFile) async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let before = try t.store.digest()
        let catalogBefore = t.ledger.catalog
        let error = await #expect(throws: InterchangeError.self) {
            try await t.ledger.importJSONLines(Data(jsonLines: bad.lines))
        }
        guard case .line(let n, let reason)? = error else {
            Issue.record("expected InterchangeError.line, got \(String(describing: error))")
            return
        }
        #expect(n == bad.line, "reason: \(reason)")
        #expect(reason.contains(bad.reason), "reason: \(reason)")
        #expect(error?.description.hasSuffix("; nothing was imported") == true)
        // Nothing written: not even the good lines before the bad one.
        #expect(try t.store.digest() == before)
        #expect(try t.store.version(of: caseNo("LZH-2023-000101")) == nil)
        #expect(t.ledger.catalog == catalogBefore)
    }

    @Test func aRecordedIdWithOtherContentIsRefused() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let head = try await t.ledger.importJSONLines(Data(jsonLines: Lines.good)).head
        let id = try #require(UUID(uuidString: Lines.id1))
        let seq = try #require(try t.store.seq(ofEventID: id))
        let changed = Lines.submitted("LZH-2023-000001", at: "2023-09-28T09:00:00+08:00", id: Lines.id1)
            .replacingOccurrences(of: "clerk-07", with: "clerk-08")
        let error = await #expect(throws: InterchangeError.self) {
            try await t.ledger.importJSONLines(Data(jsonLines: [Lines.submitted("LZH-2023-000003", at: "2023-09-29T09:00:00+08:00"), changed]))
        }
        #expect(error == .line(2, "event id \(Lines.id1) is already recorded at seq \(seq) with different content"))
        #expect(try t.store.digest() == head)
        #expect(try t.store.version(of: caseNo("LZH-2023-000003")) == nil)
    }

    @Test func exportThenImportIntoAFreshStoreRebuildsTheSameChain() async throws {
        let source = try await TemporaryLedger(seedCatalog: true)
        _ = try await source.ledger.importJSONLines(Data(jsonLines: Lines.good))
        try await source.ledger.record(.visited, to: caseNo("LZH-2023-000002"), at: at("2023-09-29T08:00:00.123+08:00"),
                                       actor: "clerk-\"quoted\"")
        var exported: [UInt8] = []
        let count = try source.store.exportJSONLines { exported.append(contentsOf: $0) }
        let head = try source.store.digest()
        #expect(count == Int(head.seq))
        #expect(exported.filter { $0 == 10 }.count == count)

        let copy = try await TemporaryLedger(label: "domain-ledger-copy")
        let summary = try await copy.ledger.importJSONLines(Data(exported))
        #expect(summary.appended == count)
        #expect(summary.head == head)
        #expect(try copy.store.digest() == head)
        #expect(copy.ledger.catalog == source.ledger.catalog)
        #expect(try copy.ledger.file(of: caseNo("LZH-2023-000001")) == (try source.ledger.file(of: caseNo("LZH-2023-000001"))))

        // Exporting the copy gives the same bytes; importing the export again appends nothing.
        var again: [UInt8] = []
        try copy.store.exportJSONLines { again.append(contentsOf: $0) }
        #expect(again == exported)
        let replay = try await copy.ledger.importJSONLines(Data(exported))
        #expect(replay.appended == 0 && replay.alreadyRecorded == count)
    }

    /// Docs/DOMAIN.md §Metrics: promised limits 92.4% below legal (1 − Σ promised / Σ legal over items with a legal limit).
    @Test func catalogCompressionReadBackFromTheLog() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let reopened = try CaseLedger(store: t.store, calendar: try CalendarFixtures.calendar())
        let catalog = reopened.catalog
        #expect(catalog.items.count == 894)
        #expect(catalog == t.ledger.catalog)
        #expect((catalog.compression * 1000).rounded() / 10 == 92.4)
        // The same sums, computed here from the seed file.
        let items = try DomainFixtures.seedItems().filter { $0.legalDays > 0 }
        let legal = items.reduce(0) { $0 + $1.legalDays }, promised = items.reduce(0) { $0 + $1.promisedDays }
        #expect(abs(catalog.compression - (1 - Double(promised) / Double(legal))) < 1e-12)
        // Publishing the same file again publishes nothing.
        #expect(try await reopened.publishCatalog(items: try DomainFixtures.seedItems(), at: at("2023-02-01T09:00:00+08:00"),
                                                  actor: "catalog-admin") == 0)
    }

    /// The catalog itself can travel as interchange lines.
    @Test func catalogLinesImport() async throws {
        let t = try await TemporaryLedger()
        let item = #"{"code":"LZH-Q-7001","name":"测试事项","department":"民政","level":"town","legalDays":10,"promisedDays":2,"caseType":"promised","maxVisits":1}"#
        let revised = item.replacingOccurrences(of: #""promisedDays":2"#, with: #""promisedDays":1"#)
        let summary = try await t.ledger.importJSONLines(Data(jsonLines: [
            Lines.event(case: "CATALOG", type: "itemPublished", at: "2023-01-01T09:00:00+08:00", actor: "catalog-admin", data: item),
            Lines.event(case: "CATALOG", type: "itemRevised", at: "2023-01-02T09:00:00+08:00", actor: "catalog-admin", data: revised),
            Lines.submitted("LZH-2023-000201", item: "LZH-Q-7001", at: "2023-09-28T09:00:00+08:00"),
        ]))
        #expect(summary.appended == 3)
        #expect(t.ledger.catalog["LZH-Q-7001"]?.promisedDays == 1)
        #expect(t.ledger.catalog["LZH-Q-7001"]?.onlineCapable == true)

        let error = await #expect(throws: InterchangeError.self) {
            try await t.ledger.importJSONLines(Data(jsonLines: [
                Lines.event(case: "CATALOG", type: "itemPublished", at: "2023-01-03T09:00:00+08:00", actor: "catalog-admin", data: item),
            ]))
        }
        #expect(error == .line(1, "item LZH-Q-7001 is published: itemPublished refused: it is already in the catalog; use itemRevised to change it"))
    }
}

extension BadFile {
    func withLines(_ change: (inout [String]) -> Void) -> BadFile {
        var lines = lines
        change(&lines)
        return BadFile(name, lines: lines, line: line, reason: reason)
    }
}
