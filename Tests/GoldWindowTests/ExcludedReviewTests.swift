import CaseDomain
import DomainTestSupport
import Foundation
import GoldWindowProjection
import Ledger
import ProjectionKit
import CaseStatistics
import Testing

/// A bad review excluded on appeal leaves the window's 好评率 and 差评整改率 (Docs/REVIEWS.md): W09
/// and W10 each complete one identical case in 2023Q3 (the scheme's first quarter in the default
/// rules); W09's only review, an L5, is excluded; W11's L5 is dismissed on appeal and still open.
@Suite("GoldWindow: reviews excluded on appeal")
struct ExcludedReviewTests {
    static let items = [item("T-A", legal: 20, promised: 3, level: .district, department: "民政")]

    static func decided(at window: String, then steps: [(String, EventData)] = []) -> [(String, EventData)] {
        [("2023-07-03T09:00:00+08:00", submitted("T-A", .mobile)),
         ("2023-07-03T10:00:00+08:00", accepted("T-A", at: window)),
         ("2023-07-04T10:00:00+08:00", .approved(certificate: nil))] + steps
    }

    static let appealedL5: [(String, EventData)] = [
        ("2023-07-04T11:00:00+08:00", .evaluated(Evaluation(level: 5, channel: .mobile, comment: "辱骂内容"))),
        ("2023-07-04T15:00:00+08:00", .followedUp),
        ("2023-07-05T10:00:00+08:00", .appealed(ground: .malicious, reason: "与服务无关")),
    ]

    @Test("the excluded review scores as no review; a dismissed one still counts")
    func excludedLeavesTheScore() async throws {
        let rules = HallRules.standard
        let t = try await ViewLedger(items: Self.items) { GoldWindowProjection(calendar: $0, rules: rules) }
        try await t.record("LZH-2023-000001", Self.decided(at: "W09", then: Self.appealedL5 + [
            ("2023-07-06T10:00:00+08:00", .appealDecided(excluded: true, reason: "经复核属恶意差评"))]))
        try await t.record("LZH-2023-000002", Self.decided(at: "W10"))
        try await t.record("LZH-2023-000003", Self.decided(at: "W11", then: Self.appealedL5 + [
            ("2023-07-06T10:00:00+08:00", .appealDecided(excluded: false, reason: "维持差评"))]))
        try t.runner.catchUp()
        let report = try t.runner.read(.goldWindow) {
            try GoldWindowProjection(calendar: try ViewLedger.calendar.get(), rules: rules).report($0)
        }
        let q3 = try #require(report.quarters.first)
        #expect(report.quarters.map(\.quarter) == ["2023Q3"])
        let w09 = try #require(q3.windows.first { $0.window == "W09" })
        let w10 = try #require(q3.windows.first { $0.window == "W10" })
        let w11 = try #require(q3.windows.first { $0.window == "W11" })
        #expect(w09.breakdown.map(\.counted) == w10.breakdown.map(\.counted))
        #expect(w09.breakdown.first { $0.name == "goodReviewRate" }?.denominator == 0)
        #expect(w09.breakdown.first { $0.name == "rectificationRate" }?.denominator == 0)
        #expect(close(w09.score, w10.score))
        #expect(w11.breakdown.first { $0.name == "goodReviewRate" }?.denominator == 1)
        #expect(w11.breakdown.first { $0.name == "rectificationRate" }?.denominator == 1)
        #expect(w11.score < w09.score)
    }
}
