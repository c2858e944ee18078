import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport
@testable import Feed

/// The feed writes each `ledger_events` row straight from the stored record; it must be the row
/// the plain way gives: the interchange line `ledger export` writes (`InterchangeEvent.line`),
/// the time in UTC, the record and hash in hex, every field escaped for COPY.
@Suite("Event rows in COPY text")
struct EventRowsTests {
    @Test("every event of a simulated district is written as the plain encoding writes it")
    func simulatedDistrictRows() throws {
        let district = try simulatedDistrict(cases: 300, seed: 13, label: "event-rows")
        let store = try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true))
        let (written, expected, count) = try rows(of: store, ledgerID: "LZH")
        #expect(count > 2_000)
        try expectSameRows(written, expected)
    }

    @Test("quotes, backslashes, tabs, newlines and control characters are escaped for JSON, then for COPY")
    func awkwardText() async throws {
        let scratch = TemporaryDirectory("event-rows-awkward")
        let store = try EventStore(directory: scratch.path, codec: CaseEventCodec(), options: .init(durable: false))
        let awkward = "a \"quoted\" \\ back\tslash\nnew\rline \u{01}\u{1f}\u{7f} 材料齐全 \\N"
        let events: [NewEvent] = [
            NewEvent(.rejected(reason: awkward), at: Timestamp(milliseconds: 1_672_710_723_456), actor: "clerk \"7\" \\ x"),
            NewEvent(.supplementRequested(materials: ["身份证\t复印件", "c\"d", ""]), at: Timestamp(milliseconds: 1_672_710_780_000),
                     actor: "窗口-07"),
            NewEvent(.submitted(Submission(item: "LZH-Q-0001", channel: .mobile, applicant: Applicant(kind: .enterprise, ref: "E\\1"),
                                           crossRegion: "成都\n", theme: "T01")),
                     at: Timestamp(milliseconds: -86_400_001), actor: "before 1970"),
            NewEvent(.approved(certificate: nil), at: Timestamp(milliseconds: 4_102_444_799_999), actor: "y2099"),
        ]
        _ = try await store.append(to: try CaseNumber("LZH-2023-000001"), expected: .any, events: events)
        let (written, expected, count) = try rows(of: store, ledgerID: "LZH")
        #expect(count == events.count)
        try expectSameRows(written, expected)
        // The escapes themselves: JSON's \" and \\ and \n, each backslash doubled for COPY.
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains(#"a \\"quoted\\" \\\\ back\\tslash\\nnew\\rline \\u0001\\u001f"#))
        #expect(text.contains("\t1969-12-30 23:59:59.999+00\t"))
        #expect(text.contains(#""at":"1969-12-31T07:59:59.999+08:00""#))
    }

    /// The feed's rows and the plain encoding's, of every event in `store`.
    private func rows(of store: EventStore, ledgerID: String) throws -> (written: [UInt8], expected: [UInt8], count: Int) {
        var rows = CopyText(capacity: 16)
        var writer = EventRows(ledgerID: ledgerID)
        var expected: [UInt8] = []
        var count = 0
        _ = try store.scan(from: 1) { view in
            try writer.write(view, into: &rows)
            expected += try plainRow(view, ledgerID: ledgerID)
            count += 1
            return true
        }
        return (rows.bytes, expected, count)
    }

    private func expectSameRows(_ written: [UInt8], _ expected: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let writtenRows = written.split(separator: 10, omittingEmptySubsequences: false)
        let expectedRows = expected.split(separator: 10, omittingEmptySubsequences: false)
        #expect(writtenRows.count == expectedRows.count, sourceLocation: sourceLocation)
        for (index, (row, want)) in zip(writtenRows, expectedRows).enumerated() where row != want {
            Issue.record("row \(index + 1):\n\(String(decoding: row, as: UTF8.self))\nexpected\n\(String(decoding: want, as: UTF8.self))",
                         sourceLocation: sourceLocation)
            return
        }
    }

    /// A row the plain way: each field as a string, escaped for COPY one byte at a time.
    private func plainRow(_ view: EventView, ledgerID: String) throws -> [UInt8] {
        let type = try view.type
        let caseNumber = String(decoding: view.caseBytes, as: UTF8.self)
        let line = InterchangeEvent.line(id: view.id, caseNumber: caseNumber, type: type, at: view.at, actor: view.actor,
                                         data: try view.data())
        // RFC 3339 in UTC (`2023-01-03T01:02:03.456Z`, no fraction when it is zero) as PostgreSQL's
        // timestamptz text with milliseconds.
        var at = view.at.rfc3339(offsetSeconds: 0).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        if !at.contains(".") { at += ".000" }
        at += "+00"
        func hex(_ bytes: some Sequence<UInt8>) -> [UInt8] { Array(("\\x" + bytes.map { String(format: "%02x", $0) }.joined()).utf8) }
        let fields: [[UInt8]] = [
            Array(ledgerID.utf8), Array("\(view.seq)".utf8), Array(caseNumber.utf8), Array("\(view.version)".utf8),
            Array(type.name.utf8), Array(at.utf8), Array(view.actor.utf8), line, hex(view.record), view.hash.withBytes { hex($0) },
        ]
        var row: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { row.append(9) }
            for byte in field {
                switch byte {
                case 92: row += [92, 92]
                case 9: row += [92, 116]
                case 10: row += [92, 110]
                case 13: row += [92, 114]
                default: row.append(byte)
                }
            }
        }
        row.append(10)
        return row
    }
}
