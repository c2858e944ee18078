import CaseDomain
import DomainTestSupport
import Foundation
import GoldWindowProjection
import Ledger
import ProjectionKit
import CaseStatistics
import Testing

/// 金牌窗口 rounds over a small ledger worked out by hand, with the default weights: on time 25,
/// 好评率 25, volume 15, 差评整改 10, ≤ 1 visit 10, waived or online 10, 即办 5 — and a round every
/// quarter (the default rules start the scheme in 2023Q3; these rules leave `firstQuarter` out).
/// A component without data is left out and the others scaled by 100 / Σ counted weights.
///
/// T-A: promised 3 (accepted Wed 3/1 → due Mon 3/6); T-B: 即办. Every Q1 case is accepted 3/1.
///
/// Q1 (busiest window: 2 completions); points before scaling, then the scale
/// | window | cases | on time | 好评率 | volume | 整改 | ≤1 visit | waived/online | 即办 | score |
/// |---|---|---|---|---|---|---|---|---|---|
/// | W01 | G1 mobile L1; G2 1 visit L2 | 1 → 25 | 2/2 → 25 | 2/2 → 15 | none: out | 2/2 → 10 | 1/2 → 5 | 0 → 0 | 80 × 100/90 = 88.89 |
/// | W02 | G3 pc 即办 L1; G4 2 visits, late, L3 | 1/2 → 12.5 | 2/2 → 25 | 15 | out | 1/2 → 5 | 1/2 → 5 | 1/2 → 2.5 | 65 × 100/90 = 72.22 |
/// | W03 | G5 1 visit, waived, no review | 25 | no review: out | 1/2 → 7.5 | out | 10 | 10 | 0 | 52.5 × 100/65 = 80.77 |
/// | W04 | G6 mobile 即办, L4 rectified in time | 25 | 0/1 → 0 | 7.5 | 1/1 → 10 | 10 | 10 | 5 | 67.5 |
/// | W05 | G7 mobile L5 rectified late; G8 mobile L1 | 25 | 1/2 → 12.5 | 15 | 0/1 → 0 | 10 | 10 | 0 | 72.5, disqualified |
/// W06 has a review in Q1 (G9, after a visit) but no completion: not ranked.
/// Ranks: W01, W03, W02 gold; W04 4th. Without the disqualification W05 would be 3rd.
///
/// Q2 (busiest: 1): W03 G10 and W07 G12 alike (mobile, on time, no review) → 60 × 100/65 = 92.31,
/// tied, W03 first by id; W08 G11 with an open L4 → 25 + 0 + 15 + 0 + 10 + 10 = 60; W06 G9 (late,
/// 1 visit, window channel, its review in Q1) → 25 × 100/65 = 38.46. The open L4 of 4/4 is due
/// 4/25: once the log reaches 5/8, W08 is disqualified.
@Suite("GoldWindow: by hand")
struct GoldWindowTests {
    static let items = [item("T-A", legal: 20, promised: 3, level: .district, department: "民政"),
                        item("T-B", legal: 5, promised: 0, level: .town, department: "人社")]

    static func review(_ level: Int) -> EventData { .evaluated(Evaluation(level: level, channel: .mobile)) }

    /// submitted 9:00, (a visit 9:05), accepted 10:00 on `day` at `window`.
    static func start(_ item: String, _ channel: Channel, at window: String, day: String = "2023-03-01",
                      visit: Bool = false) -> [(String, EventData)] {
        [("\(day)T09:00:00+08:00", submitted(item, channel))] + (visit ? [("\(day)T09:05:00+08:00", .visited)] : [])
            + [("\(day)T10:00:00+08:00", accepted(item, at: window))]
    }

    static let approved = EventData.approved(certificate: nil)

    static let cases: [(String, [(String, EventData)])] = [
        ("LZH-2023-000001", start("T-A", .mobile, at: "W01") + [("2023-03-02T10:00:00+08:00", approved),
                                                               ("2023-03-02T11:00:00+08:00", review(1))]),
        ("LZH-2023-000002", start("T-A", .window, at: "W01", visit: true) + [("2023-03-03T10:00:00+08:00", approved),
                                                                             ("2023-03-03T11:00:00+08:00", review(2))]),
        ("LZH-2023-000003", start("T-B", .pc, at: "W02") + [("2023-03-01T10:10:00+08:00", approved),
                                                           ("2023-03-01T10:20:00+08:00", review(1))]),
        ("LZH-2023-000004", start("T-A", .window, at: "W02", visit: true) + [("2023-03-07T10:00:00+08:00", .visited),
                                                                             ("2023-03-08T10:00:00+08:00", approved),
                                                                             ("2023-03-08T11:00:00+08:00", review(3))]),
        ("LZH-2023-000005", start("T-A", .window, at: "W03", visit: true) + [
            ("2023-03-01T10:05:00+08:00", .materialsReduced(count: 2, via: .dataSharing)),
            ("2023-03-02T10:00:00+08:00", approved)]),
        ("LZH-2023-000006", start("T-B", .mobile, at: "W04") + [("2023-03-01T10:10:00+08:00", approved),
                                                               ("2023-03-01T10:20:00+08:00", review(4)),
                                                               ("2023-03-02T10:00:00+08:00", .followedUp),
                                                               ("2023-03-10T10:00:00+08:00", .rectified(note: "已整改"))]),
        ("LZH-2023-000007", start("T-A", .mobile, at: "W05") + [("2023-03-02T10:00:00+08:00", approved),
                                                               ("2023-03-02T11:00:00+08:00", review(5)),
                                                               ("2023-03-03T10:00:00+08:00", .followedUp),
                                                               ("2023-03-31T10:00:00+08:00", .rectified(note: "已整改"))]),
        ("LZH-2023-000008", start("T-A", .mobile, at: "W05") + [("2023-03-02T10:00:00+08:00", approved),
                                                               ("2023-03-02T11:00:00+08:00", review(1))]),
        ("LZH-2023-000009", start("T-A", .window, at: "W06", visit: true) + [("2023-03-01T10:10:00+08:00", review(2)),
                                                                             ("2023-04-03T10:00:00+08:00", approved)]),
        ("LZH-2023-000010", start("T-A", .mobile, at: "W03", day: "2023-04-03") + [("2023-04-04T10:00:00+08:00", approved)]),
        ("LZH-2023-000012", start("T-A", .mobile, at: "W07", day: "2023-04-03") + [("2023-04-04T10:00:00+08:00", approved)]),
        ("LZH-2023-000011", start("T-A", .mobile, at: "W08", day: "2023-04-03") + [("2023-04-04T10:00:00+08:00", approved),
                                                                                  ("2023-04-04T11:00:00+08:00", review(4))]),
    ]

    /// The default rules with a round every quarter.
    static let everyQuarter: HallRules = {
        var rules = HallRules.standard
        rules.goldWindow.firstQuarter = nil
        return rules
    }()

    static func ledger(rules: HallRules = everyQuarter, catchingUp: Bool = false) async throws -> ViewLedger {
        let t = try await ViewLedger(items: items) { GoldWindowProjection(calendar: $0, rules: rules) }
        for (number, events) in cases {
            try await t.record(number, events)
            if catchingUp { try t.runner.catchUp() }
        }
        try t.runner.catchUp()
        return t
    }

    func report(_ t: ViewLedger, rules: HallRules = everyQuarter, _ period: ReportPeriod = .all) throws -> GoldWindowReport {
        try t.runner.read(.goldWindow) {
            try GoldWindowProjection(calendar: try ViewLedger.calendar.get(), rules: rules).report($0, period: period)
        }
    }

    @Test func firstQuarter() async throws {
        let r = try report(try await Self.ledger())
        #expect(r.quarters.map(\.quarter) == ["2023Q1", "2023Q2"])
        let q1 = r.quarters[0]
        #expect(q1.busiestCompleted == 2)
        #expect(q1.windows.map(\.window) == ["W01", "W03", "W02", "W04"])
        #expect(q1.windows.map(\.rank) == [1, 2, 3, 4])
        #expect(q1.windows.map(\.gold) == [true, true, true, false])
        #expect(q1.gold == ["W01", "W03", "W02"])
        let q1Scores: [Double] = [80.0 * 100 / 90, 52.5 * 100 / 65, 65.0 * 100 / 90, 67.5]
        for (entry, expected) in zip(q1.windows, q1Scores) {
            #expect(close(entry.score, expected), "\(entry.window)")
        }
        #expect(q1.disqualified.map(\.window) == ["W05"])
        #expect(q1.disqualified[0].rank == nil)
        #expect(q1.disqualified[0].gold == false)
        #expect(close(q1.disqualified[0].score, 72.5))
        #expect(q1.disqualified[0].disqualification == "1 bad review(s) rectified late")
    }

    @Test func everyRankShowsItsBreakdown() async throws {
        let r = try report(try await Self.ledger())
        let w02 = try #require(r.quarters[0].windows.first { $0.window == "W02" })
        let scale = 100 / 90.0  // 差评整改率 left out: W02 had no bad review
        #expect(w02.breakdown.map(\.name) == GoldWindowReport.components)
        #expect(w02.breakdown.map(\.value) == [0.5, 1, 1, 0, 0.5, 0.5, 0.5])
        #expect(w02.breakdown.map(\.counted) == [true, true, true, false, true, true, true])
        #expect(w02.breakdown.map(\.weight) == [25, 25, 15, 10, 10, 10, 5])
        let scaledWeights: [Double] = [25, 25, 15, 0, 10, 10, 5].map { $0 * scale }
        let points: [Double] = [12.5, 25, 15, 0, 5, 5, 2.5].map { $0 * scale }
        for (c, expected) in zip(w02.breakdown, scaledWeights) { #expect(close(c.scaledWeight, expected), "\(c.name)") }
        for (c, expected) in zip(w02.breakdown, points) { #expect(close(c.points, expected), "\(c.name)") }
        #expect(w02.breakdown.map(\.numerator) == [1, 2, 2, 0, 1, 1, 1])
        #expect(w02.breakdown.map(\.denominator) == [2, 2, 2, 0, 2, 2, 2])
        let w04 = try #require(r.quarters[0].windows.first { $0.window == "W04" })
        #expect(w04.breakdown.map(\.points) == [25, 0, 7.5, 10, 10, 10, 5])
        #expect(w04.breakdown.allSatisfy { $0.counted })
        for quarter in r.quarters {
            for entry in quarter.windows + quarter.disqualified {
                #expect(close(entry.breakdown.reduce(0) { $0 + $1.points }, entry.score))
                #expect(close(entry.breakdown.reduce(0) { $0 + $1.scaledWeight }, 100), "the weights are rescaled to the same total")
                for c in entry.breakdown {
                    #expect((0 ... 1).contains(c.value))
                    #expect(close(c.points, c.scaledWeight * c.value))
                    #expect(c.counted == (c.denominator > 0))
                }
            }
        }
    }

    @Test("a window with no review that quarter is not scored 0 on 好评率: the component is left out")
    func noReviewIsNoData() async throws {
        let q1 = try report(try await Self.ledger()).quarters[0]
        let w03 = try #require(q1.windows.first { $0.window == "W03" })
        let good = try #require(w03.breakdown.first { $0.name == "goodReviewRate" })
        #expect(!good.counted && good.points == 0 && good.scaledWeight == 0 && good.denominator == 0)
        #expect(close(w03.score, 52.5 * 100 / 65))  // 62.5 if 好评率 were 0 and 整改率 1
        #expect(w03.rank == 2)
    }

    @Test("the scheme's first quarter: no round for an earlier one")
    func schemeStart() async throws {
        let t = try await Self.ledger()
        #expect(HallRules.standard.goldWindow.firstQuarter == "2023Q3")
        #expect(try report(t, rules: .standard).quarters.isEmpty)
        var fromQ2 = HallRules.standard
        fromQ2.goldWindow.firstQuarter = "2023Q2"
        #expect(try report(t, rules: fromQ2).quarters.map(\.quarter) == ["2023Q2"])
    }

    @Test func secondQuarterTieAndAnOpenBadReview() async throws {
        let t = try await Self.ledger()
        let q2 = try report(t).quarters[1]
        #expect(q2.quarter == "2023Q2")
        #expect(q2.windows.map(\.window) == ["W03", "W07", "W08", "W06"])  // W03 and W07 tie: by id
        let q2Scores: [Double] = [60.0 * 100 / 65, 60.0 * 100 / 65, 60, 25.0 * 100 / 65]
        for (entry, expected) in zip(q2.windows, q2Scores) {
            #expect(close(entry.score, expected), "\(entry.window)")
        }
        #expect(q2.gold == ["W03", "W07", "W08"])
        #expect(q2.disqualified.isEmpty)  // W08's bad review of 4/4 is due 4/25; the log ends 4/4

        try await t.record("LZH-2023-000013", [("2023-05-08T09:00:00+08:00", submitted("T-A", .mobile))])
        try t.runner.catchUp()
        let later = try report(t)
        #expect(later.asOf == "2023-05-08")
        let q2Later = later.quarters[1]
        #expect(q2Later.windows.map(\.window) == ["W03", "W07", "W06"])
        #expect(q2Later.gold == ["W03", "W07", "W06"])
        #expect(q2Later.disqualified.map(\.window) == ["W08"])
        #expect(q2Later.disqualified[0].disqualification == "1 bad review(s) not rectified by the deadline (as of 2023-05-08)")
    }

    @Test func rulesWithoutDisqualification() async throws {
        var rules = Self.everyQuarter
        rules.goldWindow.disqualifyOnLateRectification = false
        let t = try await Self.ledger(rules: rules)
        let q1 = try report(t, rules: rules).quarters[0]
        #expect(q1.windows.map(\.window) == ["W01", "W03", "W05", "W02", "W04"])
        #expect(q1.gold == ["W01", "W03", "W05"])
        #expect(q1.disqualified.isEmpty)
    }

    @Test func periodFilter() async throws {
        let t = try await Self.ledger()
        #expect(try report(t, ReportPeriod(year: 2023, quarter: 2)).quarters.map(\.quarter) == ["2023Q2"])
        #expect(try report(t, ReportPeriod(quarter: 1)).quarters.map(\.quarter) == ["2023Q1"])
        #expect(try report(t, ReportPeriod(year: 2024)).quarters.isEmpty)
    }

    @Test func incrementalCatchUpEqualsARebuild() async throws {
        let t = try await Self.ledger(catchingUp: true)
        let before = try json(try report(t))
        try t.runner.rebuild()
        #expect(try json(try report(t)) == before)
        #expect(try json(try report(try await Self.ledger())) == before)
        let object = try JSONSerialization.jsonObject(with: Data(before.utf8)) as? [String: Any]
        let first = ((object?["quarters"] as? [[String: Any]])?.first?["windows"] as? [[String: Any]])?.first
        for key in ["window", "score", "rank", "gold", "breakdown"] { #expect(first?[key] != nil, "missing \(key)") }
    }
}
