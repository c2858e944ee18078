import CaseDomain
import DomainTestSupport
import EvaluationsProjection
import Foundation
import Ledger
import ProjectionKit
import CaseStatistics
import Testing

/// The 好差评 report over a small ledger worked out by hand (rules: call back within 1 working
/// day, rectify within 15; points 10/8/6/3/0).
///
/// Catalog: T-A legal 20 promised 3 (民政); T-B 即办 (人社).
///
/// | case | window | review(s) | call-back (due) | rectified (due) |
/// |---|---|---|---|---|
/// | E1 | W01 | L1 3/2, after approval | | |
/// | E2 | W01 | L2 3/6 | | |
/// | E3 | W02 | L4 Fri 3/3 | Mon 3/6 (3/6) in time | 3/22 (3/24) in time |
/// | E4 T-B | W02 | L5 Thu 3/2 | 3/6 (3/3) late | 3/27 (3/23) late |
/// | E5 | W01 | L3 3/1 after a visit, before its approval on 3/3 | | |
/// | E6 | W03 | — (completed, never reviewed) | | |
/// | E7 rejected | none | L4 3/2 | | open; due 3/23, overdue |
/// | E8 (Q2) | W03 | L4 Tue 4/4 | | open; due 4/25 (4/5 holiday, Sun 4/23 worked) |
/// | E9 T-B | W01 | L1 after a visit, L2 after approval (one case, counted once for 主动评价率) | | |
///
/// The log's latest event is E8's review on 4/4, so E7 is overdue and E8 is not (yet).
@Suite("Evaluations: by hand")
struct EvaluationsTests {
    static let items = [item("T-A", legal: 20, promised: 3, level: .district, department: "民政"),
                        item("T-B", legal: 5, promised: 0, level: .town, department: "人社")]

    static let cases: [(String, [(String, EventData)])] = [
        ("LZH-2023-000001", [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
                             ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W01")),
                             ("2023-03-02T10:00:00+08:00", .approved(certificate: nil)),
                             ("2023-03-02T11:00:00+08:00", review(1))]),
        ("LZH-2023-000002", [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
                             ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W01")),
                             ("2023-03-03T10:00:00+08:00", .approved(certificate: nil)),
                             ("2023-03-06T10:00:00+08:00", review(2))]),
        ("LZH-2023-000003", [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
                             ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W02")),
                             ("2023-03-03T10:00:00+08:00", .approved(certificate: nil)),
                             ("2023-03-03T11:00:00+08:00", review(4)),
                             ("2023-03-06T10:00:00+08:00", .followedUp),
                             ("2023-03-22T10:00:00+08:00", .rectified(note: "已整改"))]),
        ("LZH-2023-000004", [("2023-03-02T09:00:00+08:00", submitted("T-B", .mobile)),
                             ("2023-03-02T10:00:00+08:00", accepted("T-B", at: "W02")),
                             ("2023-03-02T10:30:00+08:00", .approved(certificate: nil)),
                             ("2023-03-02T11:00:00+08:00", review(5)),
                             ("2023-03-06T10:00:00+08:00", .followedUp),
                             ("2023-03-27T10:00:00+08:00", .rectified(note: "已整改"))]),
        ("LZH-2023-000005", [("2023-03-01T09:00:00+08:00", submitted("T-A", .window)),
                             ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W01")),
                             ("2023-03-01T10:05:00+08:00", .visited),
                             ("2023-03-01T10:10:00+08:00", review(3)),
                             ("2023-03-03T10:00:00+08:00", .approved(certificate: nil))]),
        ("LZH-2023-000006", [("2023-03-06T09:00:00+08:00", submitted("T-A", .mobile)),
                             ("2023-03-06T10:00:00+08:00", accepted("T-A", at: "W03")),
                             ("2023-03-07T10:00:00+08:00", .approved(certificate: nil))]),
        ("LZH-2023-000007", [("2023-03-01T09:00:00+08:00", submitted("T-A", .window)),
                             ("2023-03-02T09:00:00+08:00", .rejected(reason: "材料不全")),
                             ("2023-03-02T10:00:00+08:00", review(4))]),
        ("LZH-2023-000009", [("2023-03-06T09:00:00+08:00", submitted("T-B", .window)),
                             ("2023-03-06T09:30:00+08:00", accepted("T-B", at: "W01")),
                             ("2023-03-06T09:35:00+08:00", .visited),
                             ("2023-03-06T09:40:00+08:00", review(1)),
                             ("2023-03-06T10:00:00+08:00", .approved(certificate: nil)),
                             ("2023-03-06T10:30:00+08:00", review(2))]),
        ("LZH-2023-000008", [("2023-04-03T09:00:00+08:00", submitted("T-A", .mobile)),
                             ("2023-04-03T10:00:00+08:00", accepted("T-A", at: "W03")),
                             ("2023-04-04T10:00:00+08:00", .approved(certificate: nil)),
                             ("2023-04-04T11:00:00+08:00", review(4))]),
    ]

    static func review(_ level: Int) -> EventData { .evaluated(Evaluation(level: level, channel: .mobile)) }

    static func rules() throws -> HallRules { try HallRules.load(from: ViewLedger.root.appendingPathComponent("seeds/rules.json")) }
    static func projection() throws -> EvaluationsProjection {
        EvaluationsProjection(calendar: try ViewLedger.calendar.get(), rules: try rules())
    }

    static func ledger(catchingUp: Bool = false) async throws -> ViewLedger {
        let rules = try rules()
        let t = try await ViewLedger(items: items) { EvaluationsProjection(calendar: $0, rules: rules) }
        for (number, events) in cases {
            try await t.record(number, events)
            if catchingUp { try t.runner.catchUp() }
        }
        try t.runner.catchUp()
        return t
    }

    func report(_ t: ViewLedger, _ period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> EvaluationsReport {
        try t.runner.read(.evaluations) { try Self.projection().report($0, period: period, by: dimension) }
    }

    @Test func theRulesFileIsTheStandard() throws {
        #expect(try Self.rules() == HallRules.standard)
    }

    @Test func totals() async throws {
        let r = try report(try await Self.ledger())
        let t = r.total
        #expect(r.asOf == "2023-04-04")
        #expect(t.reviews == 9)
        #expect(t.levels == [2, 2, 1, 3, 1])
        #expect(t.goodReviews == 5)
        #expect(close(t.goodReviewRate, 5.0 / 9))
        // (2·10 + 2·8 + 6 + 3·3 + 0) / 9 = 51/9
        #expect(close(t.score, 51.0 / 9))
        #expect(t.badReviews == 4)
        #expect(t.rectifiedInTime == 1)  // E3
        #expect(t.rectifiedLate == 1)  // E4
        #expect(t.unrectified == 2)  // E7, E8
        #expect(t.unrectifiedOverdue == 1)  // E7 (due 3/23; E8 is due 4/25)
        #expect(close(t.rectificationRate, 1.0 / 4))
        #expect(t.callBacks == 2)
        #expect(t.callBacksInTime == 1)  // E3
        #expect(close(t.callBackRate, 1.0 / 4))
        // Completed E1–E6, E8, E9; all but E6 reviewed (E9 twice, counted once).
        #expect(t.completed == 8)
        #expect(t.evaluatedCompleted == 7)
        #expect(close(t.evaluationRate, 7.0 / 8))
        #expect(close(r.goodReviewRate, 5.0 / 9))
        #expect(close(r.score, 51.0 / 9))
        #expect(close(r.rectificationRate, 0.25))
        #expect(close(r.evaluationRate, 7.0 / 8))
    }

    @Test func byQuarter() async throws {
        let rows = try report(try await Self.ledger()).rows
        #expect(rows.map(\.key) == ["2023Q1", "2023Q2"])
        let q1 = rows[0], q2 = rows[1]
        #expect(q1.levels == [2, 2, 1, 2, 1])
        #expect(close(q1.goodReviewRate, 5.0 / 8))
        #expect(close(q1.score, 6))  // (20 + 16 + 6 + 6 + 0) / 8
        #expect(q1.badReviews == 3)
        #expect(close(q1.rectificationRate, 1.0 / 3))
        #expect(q1.unrectifiedOverdue == 1)
        #expect(q1.completed == 7)
        #expect(close(q1.evaluationRate, 6.0 / 7))
        #expect(q2.levels == [0, 0, 0, 1, 0])
        #expect(close(q2.goodReviewRate, 0))
        #expect(close(q2.score, 3))
        #expect(q2.unrectified == 1)
        #expect(q2.unrectifiedOverdue == 0)
        #expect(close(q2.rectificationRate, 0))
        #expect(close(q2.evaluationRate, 1))
    }

    @Test func byWindowAndDepartment() async throws {
        let t = try await Self.ledger()
        let windows = try report(t, by: .window).rows
        #expect(windows.map(\.key) == ["", "W01", "W02", "W03"])
        let none = windows[0], w01 = windows[1], w02 = windows[2], w03 = windows[3]
        // The rejected case's review has no window.
        #expect(none.reviews == 1)
        #expect(none.unrectifiedOverdue == 1)
        #expect(none.completed == 0)
        #expect(none.evaluationRate == nil)
        // W01: E1 L1, E2 L2, E5 L3, E9 L1 + L2.
        #expect(w01.levels == [2, 2, 1, 0, 0])
        #expect(close(w01.score, 42.0 / 5))
        #expect(close(w01.goodReviewRate, 1))
        #expect(w01.rectificationRate == nil)
        #expect(close(w01.evaluationRate, 1))
        // W02: E3 L4 (in time), E4 L5 (late).
        #expect(close(w02.score, 1.5))
        #expect(w02.rectifiedInTime == 1)
        #expect(w02.rectifiedLate == 1)
        #expect(close(w02.rectificationRate, 0.5))
        #expect(w02.callBacksInTime == 1)
        // W03: E6 (no review), E8 (open).
        #expect(w03.completed == 2)
        #expect(close(w03.evaluationRate, 0.5))
        #expect(w03.unrectified == 1)

        let departments = try report(t, by: .department).rows
        let hr = departments.first { $0.key == "人社" }
        #expect(hr?.reviews == 3)  // E4 L5, E9 L1 + L2
        #expect(close(hr?.score, 6))
        #expect(hr?.rectifiedLate == 1)
        #expect(hr?.completed == 2)
    }

    @Test func filters() async throws {
        let t = try await Self.ledger()
        let q2 = try report(t, ReportPeriod(year: 2023, quarter: 2), by: .window)
        #expect(q2.rows.map(\.key) == ["W03"])
        #expect(q2.total.reviews == 1)
        #expect(q2.total.unrectified == 1)
        let q1 = try report(t, ReportPeriod(year: 2023, quarter: 1), by: .item)
        #expect(q1.rows.map(\.key) == ["T-A", "T-B"])
        #expect(q1.total.reviews == 8)
        let none = try report(t, ReportPeriod(year: 2022))
        #expect(none.total.reviews == 0 && none.rows.isEmpty && none.score == nil)
    }

    @Test func anOpenBadReviewTurnsOverdueAsTheLogMovesOn() async throws {
        let t = try await Self.ledger()
        #expect(try report(t).total.unrectifiedOverdue == 1)
        try await t.record("LZH-2023-000010", [("2023-05-08T09:00:00+08:00", submitted("T-A", .mobile))])
        try t.runner.catchUp()
        let r = try report(t)
        #expect(r.asOf == "2023-05-08")
        #expect(r.total.unrectifiedOverdue == 2)  // E8's deadline 4/25 has passed
    }

    @Test func incrementalCatchUpEqualsARebuild() async throws {
        let t = try await Self.ledger(catchingUp: true)
        let before = try ReportDimension.allCases.map { try json(try report(t, by: $0)) }
        try t.runner.rebuild()
        let after = try ReportDimension.allCases.map { try json(try report(t, by: $0)) }
        #expect(before == after)
        let whole = try await Self.ledger()
        let once = try ReportDimension.allCases.map { try json(try report(whole, by: $0)) }
        #expect(once == before)
    }
}
