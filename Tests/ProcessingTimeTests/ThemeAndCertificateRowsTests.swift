import CaseDomain
import DomainTestSupport
import Foundation
import Ledger
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics
import Testing

/// Rows by 一件事 theme, and the approvals' certificates (电子证照入库), worked out by hand.
///
/// T-M (legal 20, promised 5) belongs to themes T01 and T02; T-N (即办) to none.
///
/// | case | item | theme | decided | certificate |
/// |---|---|---|---|---|
/// | C1 | T-M | T01 | approved 3/2 | electronic, into the library |
/// | C2 | T-M | T01 | approved 3/3 | electronic |
/// | C3 | T-M | T02 | withdrawn 3/3 | — |
/// | C4 | T-N | — | approved 3/1 | paper |
/// | C5 | T-M | T02 | open | — |
@Suite("ProcessingTime: themes and certificates")
struct ThemeAndCertificateRowsTests {
    static let items = [
        CatalogItem(code: "T-M", name: "食品经营许可", department: "市场监管", level: .district, legalDays: 20, promisedDays: 5,
                    caseType: .promised, onlineCapable: true, maxVisits: 1, crossProvince: false, metroCircle: false,
                    themes: ["T01", "T02"]),
        item("T-N", legal: 0, promised: 0, level: .district, department: "人社"),
    ]

    static func submission(_ item: String, theme: String?) -> EventData {
        .submitted(Submission(item: item, channel: .pc, applicant: Applicant(kind: .person, ref: "P-1"), theme: theme))
    }

    static func ledger() async throws -> ViewLedger {
        let t = try await ViewLedger(items: items) { ProcessingTimeProjection(calendar: $0) }
        try await t.record("LZH-2023-000001", [("2023-03-01T09:00:00+08:00", submission("T-M", theme: "T01")),
                                               ("2023-03-01T10:00:00+08:00", accepted("T-M", at: "W01")),
                                               ("2023-03-02T10:00:00+08:00", .approved(certificate: Certificate(
                                                   number: "SP-1", electronic: true, inLibrary: true)))])
        try await t.record("LZH-2023-000002", [("2023-03-01T09:00:00+08:00", submission("T-M", theme: "T01")),
                                               ("2023-03-01T10:00:00+08:00", accepted("T-M", at: "W01")),
                                               ("2023-03-03T10:00:00+08:00", .approved(certificate: Certificate(number: "SP-2", electronic: true)))])
        try await t.record("LZH-2023-000003", [("2023-03-01T09:00:00+08:00", submission("T-M", theme: "T02")),
                                               ("2023-03-01T10:00:00+08:00", accepted("T-M", at: "W01")),
                                               ("2023-03-03T10:00:00+08:00", .withdrawn(reason: "不办了"))])
        try await t.record("LZH-2023-000004", [("2023-03-01T09:00:00+08:00", submission("T-N", theme: nil)),
                                               ("2023-03-01T10:00:00+08:00", accepted("T-N", at: "W02")),
                                               ("2023-03-01T10:30:00+08:00", .approved(certificate: Certificate(number: "SB-1", electronic: false)))])
        try await t.record("LZH-2023-000005", [("2023-03-01T09:00:00+08:00", submission("T-M", theme: "T02")),
                                               ("2023-03-01T10:00:00+08:00", accepted("T-M", at: "W01"))])
        try t.runner.catchUp()
        return t
    }

    static let projection = Result { ProcessingTimeProjection(calendar: try ViewLedger.calendar.get()) }

    @Test("theme rows hold only the cases naming a theme; the total holds every case")
    func themeRows() async throws {
        let t = try await Self.ledger()
        let r = try t.runner.read(.processingTime) { try Self.projection.get().report($0, by: .theme) }
        #expect(r.rows.map(\.key) == ["T01", "T02"])
        #expect(r.rows.map(\.completed) == [2, 1])
        #expect(r.rows.map(\.withdrawn) == [0, 1])
        #expect(r.rows[1].onTimeRate == nil)  // only a withdrawal: nothing decided
        #expect(r.total.completed == 4)
        let c = try t.runner.read(.processingTime) { try Self.projection.get().convenience($0, by: .theme) }
        #expect(c.rows.map(\.completed) == [2, 1])
        #expect(c.rows.map(\.fullyOnline) == [2, 1])
    }

    @Test("approvals count their certificates, electronic ones, and those entered into the library")
    func certificates() async throws {
        let t = try await Self.ledger()
        let r = try t.runner.read(.processingTime) { try Self.projection.get().report($0, by: .item) }
        #expect(r.total.approved == 3)
        #expect(r.total.certificates == 3)
        #expect(r.total.electronicCertificates == 2)
        #expect(r.total.certificatesInLibrary == 1)
        let m = try #require(r.rows.first { $0.key == "T-M" })
        #expect(m.approved == 2 && m.certificatesInLibrary == 1 && m.withdrawn == 1)
    }
}
