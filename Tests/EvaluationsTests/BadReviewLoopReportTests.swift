import CaseDomain
import DomainTestSupport
import EvaluationsProjection
import Foundation
import Ledger
import ProjectionKit
import CaseStatistics
import Testing

/// Each step of the 差评 loop counted on time / late / waiting, and the effect of an exclusion on
/// 好评率 and 差评整改率 (Docs/REVIEWS.md), over a small ledger worked out by hand. Limits from
/// seeds/rules.json: call back 1, appeal 3, decide 5 (after the appeal), rectify 15, feed back 3
/// (after the rectification), working days; March 2023 has no holiday.
///
/// | case | window | review (Thu 3/2) | call-back (due 3/3) | appeal (due 3/7) | decision | rectified (due 3/23) | feedback |
/// |---|---|---|---|---|---|---|---|
/// | X1 | W01 | L4 | 3/2 on time | 3/3 on time | 3/6 excluded (due 3/10) on time | | |
/// | X2 | W01 | L5 | 3/6 late | 3/9 late | 3/20 dismissed (due 3/16) late | 3/21 on time | 3/22 on time (due 3/24) |
/// | X3 | W01 | L1 | | | | | |
/// | X4 | W02 | L4 | 3/2 on time | | | 3/3 on time | 3/10 late (due 3/8) |
/// | X5 | W02 | L4 | 3/2 on time | 3/3 on time | waiting (due 3/10): overdue on 3/22 | | |
/// | X6 | W02 | L4 | waiting (due 3/3): overdue | | | | |
///
/// The log's latest event is X2's feedback on 3/22.
@Suite("Evaluations: the bad-review loop and exclusions")
struct BadReviewLoopReportTests {
    static let items = [item("T-A", legal: 20, promised: 3, level: .district, department: "民政")]

    static func decided(_ window: String, _ level: Int, then steps: [(String, EventData)] = []) -> [(String, EventData)] {
        [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
         ("2023-03-01T10:00:00+08:00", accepted("T-A", at: window)),
         ("2023-03-02T09:00:00+08:00", .approved(certificate: nil)),
         ("2023-03-02T10:00:00+08:00", .evaluated(Evaluation(level: level, channel: .mobile)))] + steps
    }

    static let appeal = EventData.appealed(ground: .malicious, reason: "与服务无关")

    static let cases: [(String, [(String, EventData)])] = [
        ("LZH-2023-000001", decided("W01", 4, then: [("2023-03-02T15:00:00+08:00", .followedUp),
                                                     ("2023-03-03T10:00:00+08:00", appeal),
                                                     ("2023-03-06T10:00:00+08:00", .appealDecided(excluded: true, reason: "属恶意差评"))])),
        ("LZH-2023-000002", decided("W01", 5, then: [("2023-03-06T10:00:00+08:00", .followedUp),
                                                     ("2023-03-09T10:00:00+08:00", appeal),
                                                     ("2023-03-20T10:00:00+08:00", .appealDecided(excluded: false, reason: "维持")),
                                                     ("2023-03-21T10:00:00+08:00", .rectified(note: "已整改")),
                                                     ("2023-03-22T10:00:00+08:00", .feedbackGiven(note: "已告知"))])),
        ("LZH-2023-000003", decided("W01", 1)),
        ("LZH-2023-000004", decided("W02", 4, then: [("2023-03-02T15:00:00+08:00", .followedUp),
                                                     ("2023-03-03T10:00:00+08:00", .rectified(note: "已整改")),
                                                     ("2023-03-10T10:00:00+08:00", .feedbackGiven(note: "已告知"))])),
        ("LZH-2023-000005", decided("W02", 4, then: [("2023-03-02T15:00:00+08:00", .followedUp),
                                                     ("2023-03-03T10:00:00+08:00", appeal)])),
        ("LZH-2023-000006", decided("W02", 4)),
    ]

    static func report(by dimension: ReportDimension = .quarter) async throws -> EvaluationsReport {
        let rules = try HallRules.load(from: ViewLedger.root.appendingPathComponent("seeds/rules.json"))
        let t = try await ViewLedger(items: items) { EvaluationsProjection(calendar: $0, rules: rules) }
        for (number, events) in cases { try await t.record(number, events) }
        try t.runner.catchUp()
        let projection = EvaluationsProjection(calendar: try ViewLedger.calendar.get(), rules: rules)
        return try t.runner.read(.evaluations) { try projection.report($0, by: dimension) }
    }

    @Test("an excluded review leaves the reviews, 好评率, the bad reviews and 差评整改率, and is counted apart")
    func exclusion() async throws {
        let r = try await Self.report()
        let t = r.total
        #expect(r.asOf == "2023-03-22")
        #expect(t.excluded == 1)
        #expect(t.reviews == 5)  // X1 left; 6 with it
        #expect(t.levels == [1, 0, 0, 3, 1])
        #expect(close(t.goodReviewRate, 1.0 / 5))  // 1/6 had X1 stayed
        #expect(t.badReviews == 4)
        #expect(t.rectifiedInTime == 2)  // X2, X4
        #expect(close(t.rectificationRate, 2.0 / 4))  // 2/5 had X1 stayed
        #expect(t.callBacks == 3)  // X1's call-back left with it
        #expect(t.callBacksInTime == 2)
        #expect(close(t.callBackRate, 2.0 / 4))

        let windows = try await Self.report(by: .window).rows
        let w01 = try #require(windows.first { $0.key == "W01" })
        #expect(w01.reviews == 2)
        #expect(w01.excluded == 1)
        #expect(close(w01.goodReviewRate, 1.0 / 2))
        #expect(close(w01.rectificationRate, 1))
    }

    @Test("each step counted on time, late, and waiting (past its limit) as of the latest event")
    func stepTimeliness() async throws {
        let t = try await Self.report().total
        /// on time, late, waiting, waiting past the limit
        func step(_ name: String) -> [Int]? { t.stages.first { $0.step == name }.map { [$0.onTime, $0.late, $0.open, $0.openOverdue] } }
        #expect(t.stages.map(\.step) == ["callBack", "appeal", "appealDecision", "rectification", "feedback"])
        #expect(step("callBack") == [2, 1, 1, 1])
        #expect(step("appeal") == [2, 1, 0, 0])
        #expect(step("appealDecision") == [1, 1, 1, 1])
        #expect(step("rectification") == [2, 0, 2, 0])
        #expect(step("feedback") == [1, 1, 0, 0])
        #expect(t.unrectified == 2)  // X5 under appeal, X6 not called back
    }
}
