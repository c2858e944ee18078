import CaseDomain
import DomainTestSupport
import Foundation
import Ledger
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics
import Testing

/// The processing-time and convenience reports over a small ledger whose answers are worked out
/// by hand below (2023 calendar: March 2023 has no holidays; 4/5 is 清明).
///
/// Catalog: T-A legal 20 promised 3 (区级, 民政); T-B legal 5 promised 0 (即办, 镇级, 人社);
/// T-C legal 0 promised 7 (村级, 民政); T-D legal 10 promised 5 (区级, 医保).
/// Catalog compression = 1 − (3 + 0 + 5) / (20 + 5 + 10) = 27/35 (T-C has no legal limit).
///
/// | case | item | window | decided | deadline | on time | effective days | visits |
/// |---|---|---|---|---|---|---|---|
/// | C1 mobile, suspended 3/2→3/7 | T-A | W01 | approved 3/9 | 3/6 + 3 suspended (3/3, 3/6, 3/7) = 3/9 | yes | 6 − 3 = 3 | 0 (online) |
/// | C2 window, waived, extended 5 | T-A | W02 | approved 3/10 | 8 days → 3/13 | yes | 7 | 1 |
/// | C3 window, W02→W01, assisted | T-A | W01 | approved 3/14 | 3/6 | no | 9 | 2 |
/// | C4 pc, cross-region | T-B | W02 | approved 3/2 | 3/2 (即办) | yes | 0 | 0 (online) |
/// | C5 window | T-C | W01 | approved 3/8 | 3/15 | yes | 2 | 1, then 2 (a visit on 3/9) |
/// | C6 mobile | T-D | W03 | withdrawn 3/8 | 3/13 | — (not a decision) | 2 (not counted) | 0 (online) |
/// | C9 window | T-D | W03 | approved 4/12 | 4/11 (4/5 holiday) | no | 6 | 1 |
///
/// Not completed: C7 withdrawn before acceptance, C8 rejected, C10 still open. C6's withdrawal
/// after acceptance is a completion (volume) but not a decision: it is left out of the on-time
/// rate, the average days and the actual compression, which counts C5 (no legal limit) too.
@Suite("ProcessingTime: by hand")
struct ProcessingTimeTests {
    static let items = [item("T-A", legal: 20, promised: 3, level: .district, department: "民政"),
                        item("T-B", legal: 5, promised: 0, level: .town, department: "人社"),
                        item("T-C", legal: 0, promised: 7, level: .village, department: "民政"),
                        item("T-D", legal: 10, promised: 5, level: .district, department: "医保")]

    /// The events, in three chunks (the runner catches up after each in the incremental test).
    static let chunks: [[(String, [(String, EventData)])]] = [
        [
            ("LZH-2023-000001", [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
                                 ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W01")),
                                 ("2023-03-02T10:00:00+08:00", .suspended(procedure: .expertReview, reason: "专家评审"))]),
            ("LZH-2023-000002", [("2023-03-01T09:00:00+08:00", submitted("T-A", .window)),
                                 ("2023-03-01T09:05:00+08:00", .visited),
                                 ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W02")),
                                 ("2023-03-01T10:05:00+08:00", .materialsReduced(count: 1, via: .eCertificate)),
                                 ("2023-03-03T10:00:00+08:00", .extended(days: 5))]),
            ("LZH-2023-000004", [("2023-03-02T09:00:00+08:00", submitted("T-B", .pc, crossRegion: "鄂州市")),
                                 ("2023-03-02T10:00:00+08:00", accepted("T-B", at: "W02")),
                                 ("2023-03-02T10:30:00+08:00", .approved(certificate: nil))]),
            ("LZH-2023-000007", [("2023-03-01T09:00:00+08:00", submitted("T-A", .mobile)),
                                 ("2023-03-02T09:00:00+08:00", .withdrawn(reason: "不办了"))]),
            ("LZH-2023-000008", [("2023-03-01T09:00:00+08:00", submitted("T-A", .window)),
                                 ("2023-03-02T09:00:00+08:00", .rejected(reason: "不属于受理范围"))]),
        ],
        [
            ("LZH-2023-000001", [("2023-03-07T10:00:00+08:00", .resumed),
                                 ("2023-03-09T15:00:00+08:00", .approved(certificate: nil))]),
            ("LZH-2023-000002", [("2023-03-10T15:00:00+08:00", .approved(certificate: nil))]),
            ("LZH-2023-000003", [("2023-03-01T09:00:00+08:00", submitted("T-A", .window)),
                                 ("2023-03-01T09:05:00+08:00", .visited),
                                 ("2023-03-01T10:00:00+08:00", accepted("T-A", at: "W02")),
                                 ("2023-03-03T10:00:00+08:00", .transferred(toWindow: "W01")),
                                 ("2023-03-03T11:00:00+08:00", .assisted(agent: "帮办员")),
                                 ("2023-03-14T09:00:00+08:00", .visited),
                                 ("2023-03-14T15:00:00+08:00", .approved(certificate: nil))]),
            ("LZH-2023-000005", [("2023-03-06T09:00:00+08:00", submitted("T-C", .window)),
                                 ("2023-03-06T09:05:00+08:00", .visited),
                                 ("2023-03-06T10:00:00+08:00", accepted("T-C", at: "W01")),
                                 ("2023-03-08T15:00:00+08:00", .approved(certificate: nil))]),
            ("LZH-2023-000006", [("2023-03-06T09:00:00+08:00", submitted("T-D", .mobile)),
                                 ("2023-03-06T10:00:00+08:00", accepted("T-D", at: "W03")),
                                 ("2023-03-08T11:00:00+08:00", .withdrawn(reason: "材料有误"))]),
            ("LZH-2023-000010", [("2023-03-06T09:00:00+08:00", submitted("T-A", .mobile)),
                                 ("2023-03-06T10:00:00+08:00", accepted("T-A", at: "W01"))]),
        ],
        [
            // Collecting the paper certificate: C5's second visit, after its decision.
            ("LZH-2023-000005", [("2023-03-09T10:00:00+08:00", .visited)]),
            ("LZH-2023-000009", [("2023-04-03T09:00:00+08:00", submitted("T-D", .window)),
                                 ("2023-04-03T09:05:00+08:00", .visited),
                                 ("2023-04-03T10:00:00+08:00", accepted("T-D", at: "W03")),
                                 ("2023-04-12T15:00:00+08:00", .approved(certificate: nil))]),
        ],
    ]

    static func ledger() async throws -> ViewLedger {
        try await ViewLedger(items: items) { ProcessingTimeProjection(calendar: $0) }
    }

    static func recordAll(_ t: ViewLedger, catchingUp: Bool = false) async throws {
        for chunk in chunks {
            for (number, events) in chunk { try await t.record(number, events) }
            if catchingUp { try t.runner.catchUp() }
        }
        try t.runner.catchUp()
    }

    static func projection() throws -> ProcessingTimeProjection { ProcessingTimeProjection(calendar: try ViewLedger.calendar.get()) }

    func report(_ t: ViewLedger, _ period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> ProcessingTimeReport {
        try t.runner.read(.processingTime) { try Self.projection().report($0, period: period, by: dimension) }
    }

    func convenience(_ t: ViewLedger, _ period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> ConvenienceReport {
        try t.runner.read(.processingTime) { try Self.projection().convenience($0, period: period, by: dimension) }
    }

    @Test func totalsOverTheWholeLog() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        let r = try report(t)
        let total = r.total
        #expect(total.completed == 7)  // C1–C6, C9
        #expect(total.withdrawn == 1)  // C6
        #expect(total.decided == 6)
        #expect(total.onTime == 4)
        #expect(total.overdue == 2)  // C3 (3/14 > 3/6), C9 (4/12 > 4/11)
        #expect(close(total.onTimeRate, 4.0 / 6))
        #expect(total.immediate == 1)  // C4
        #expect(close(total.immediateShare, 1.0 / 7))
        // Decided: Σ effective = 3 + 7 + 9 + 0 + 2 + 6 = 27 over 6 cases.
        #expect(close(total.averageEffectiveDays, 27.0 / 6))
        #expect(total.effectiveDays == 27)
        // With a legal limit (all decided but C5): Σ effective 25; Σ legal 20·3 + 5 + 10 = 75 (C5 adds 0).
        #expect(total.effectiveDaysWithLegalLimit == 25)
        #expect(total.legalDays == 75)
        #expect(close(total.actualCompression, 1 - 27.0 / 75))
        #expect(close(r.actualCompression, 1 - 27.0 / 75))
        #expect(close(r.onTimeRate, 4.0 / 6))
        #expect(total.approved == 6 && total.certificates == 0)
        #expect(close(r.catalogCompression, 27.0 / 35))
        #expect(total.extended == 1)  // C2
        #expect(total.suspended == 1)  // C1
        #expect(r.formula.contains("actualCompression = 1 − Σ effective days / Σ legal days"))
    }

    @Test func byQuarter() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        let rows = try report(t).rows
        #expect(rows.map(\.key) == ["2023Q1", "2023Q2"])
        // Q1: C1–C6 completed, C1–C5 decided; C3 late. Legal 20·3 + 5 = 65, effective 3 + 7 + 9 + 0 + 2 = 21.
        #expect(rows[0].completed == 6)
        #expect(rows[0].decided == 5)
        #expect(rows[0].overdue == 1)
        #expect(close(rows[0].actualCompression, 1 - 21.0 / 65))
        #expect(close(rows[0].averageEffectiveDays, 21.0 / 5))
        #expect(rows[0].catalogCompression == nil)
        // Q2: C9, late; 1 − 6/10.
        #expect(rows[1].completed == 1)
        #expect(rows[1].onTime == 0)
        #expect(close(rows[1].actualCompression, 0.4))
    }

    @Test func byWindowLevelDepartmentItem() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        // Windows: W01 C1 C3 C5 (C3 counted where it was decided); W02 C2 C4; W03 C6 C9.
        let windows = try report(t, by: .window).rows
        #expect(windows.map(\.key) == ["W01", "W02", "W03"])
        #expect(windows.map(\.completed) == [3, 2, 2])
        #expect(windows.map(\.onTime) == [2, 2, 0])  // C6 withdrawn: no on-time figure
        #expect(close(windows[0].actualCompression, 1 - 14.0 / 40))  // C1 3 + C3 9 + C5 2 over 20 + 20 + 0
        #expect(close(windows[1].actualCompression, 1 - 7.0 / 25))  // C2 7 + C4 0 over 20 + 5
        #expect(close(windows[2].actualCompression, 1 - 6.0 / 10))  // C9 6 over 10 (C6 withdrawn)
        #expect(close(windows[1].immediateShare, 0.5))

        // Levels, in the order 区 镇 村.
        let levels = try report(t, by: .level).rows
        #expect(levels.map(\.key) == ["district", "town", "village"])
        #expect(levels.map(\.label) == ["区级", "镇级", "村级"])
        #expect(levels.map(\.completed) == [5, 1, 1])
        #expect(levels.map(\.onTime) == [2, 1, 1])
        #expect(close(levels[0].actualCompression, 1 - 25.0 / 70))  // C1 C2 C3 C9: 3 + 7 + 9 + 6 over 20·3 + 10
        #expect(close(levels[0].catalogCompression, 1 - 8.0 / 30))  // T-A and T-D
        #expect(close(levels[1].actualCompression, 1))
        #expect(close(levels[1].catalogCompression, 1))
        #expect(levels[2].actualCompression == nil)  // T-C has no legal limit: no legal days to compare with
        #expect(levels[2].catalogCompression == nil)

        let departments = try report(t, by: .department).rows
        #expect(departments.map(\.key) == ["人社", "医保", "民政"].sorted())
        #expect(departments.first { $0.key == "民政" }?.completed == 4)
        #expect(close(departments.first { $0.key == "民政" }?.catalogCompression, 1 - 3.0 / 20))

        let items = try report(t, by: .item).rows
        #expect(items.map(\.key) == ["T-A", "T-B", "T-C", "T-D"])
        #expect(items.map(\.label) == ["事项T-A", "事项T-B", "事项T-C", "事项T-D"])
        #expect(items.map(\.completed) == [3, 1, 1, 2])
        #expect(close(items[0].catalogCompression, 1 - 3.0 / 20))
    }

    @Test func convenienceShares() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        let c = try convenience(t).total
        #expect(c.completed == 7)
        // Visits C1 0, C2 1, C3 2, C4 0, C5 2 (one after the decision), C6 0, C9 1.
        #expect(c.atMostOneVisit == 5)
        #expect(close(c.atMostOneVisitShare, 5.0 / 7))
        #expect(c.zeroVisits == 3)
        #expect(c.fullyOnline == 3)  // C1 mobile, C4 pc, C6 mobile
        #expect(close(c.fullyOnlineShare, 3.0 / 7))
        #expect(c.materialsWaived == 1)  // C2
        #expect(c.crossRegion == 1)  // C4
        #expect(c.assisted == 1)  // C3
        #expect(close(c.averageVisits, 6.0 / 7))
        let byWindow = try convenience(t, by: .window).rows
        // W01: C1 (0), C3 (2), C5 (2) → only C1 within one visit.
        #expect(byWindow.first { $0.key == "W01" }?.atMostOneVisit == 1)
    }

    @Test func aVisitAfterTheDecisionMovesTheCase() async throws {
        let t = try await Self.ledger()
        for chunk in Self.chunks.prefix(2) { for (number, events) in chunk { try await t.record(number, events) } }
        try t.runner.catchUp()
        // Before C5's visit on 3/9 it had 1 visit: C1 C2 C4 C5 C6 within one visit.
        #expect(try convenience(t).total.atMostOneVisit == 5)
        #expect(try convenience(t).total.completed == 6)
        try await t.record("LZH-2023-000005", [("2023-03-09T10:00:00+08:00", .visited)])
        try t.runner.catchUp()
        #expect(try convenience(t).total.atMostOneVisit == 4)
        #expect(close(try convenience(t).total.averageVisits, 5.0 / 6))  // 0 + 1 + 2 + 0 + 2 + 0
    }

    @Test func filtersByYearAndQuarter() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        let q2 = try report(t, ReportPeriod(year: 2023, quarter: 2), by: .window)
        #expect(q2.period == "2023Q2")
        #expect(q2.total.completed == 1)
        #expect(q2.rows.map(\.key) == ["W03"])
        #expect(close(q2.actualCompression, 0.4))
        let q1 = try report(t, ReportPeriod(quarter: 1), by: .item)
        #expect(q1.total.completed == 6)
        #expect(q1.rows.map(\.key) == ["T-A", "T-B", "T-C", "T-D"])
        #expect(q1.rows.map(\.completed) == [3, 1, 1, 1])
        let year = try report(t, ReportPeriod(year: 2023))
        #expect(year.total == (try report(t)).total)
        let none = try report(t, ReportPeriod(year: 2024))
        #expect(none.total.completed == 0)
        #expect(none.rows.isEmpty)
        #expect(none.onTimeRate == nil)
        #expect(close(none.catalogCompression, 27.0 / 35))  // the catalog in force, whatever the period
    }

    @Test func incrementalCatchUpEqualsARebuild() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t, catchingUp: true)
        var before: [String] = []
        for dimension in ReportDimension.allCases {
            before.append(try json(try report(t, by: dimension)))
            before.append(try json(try convenience(t, by: dimension)))
        }
        try t.runner.rebuild()
        var after: [String] = []
        for dimension in ReportDimension.allCases {
            after.append(try json(try report(t, by: dimension)))
            after.append(try json(try convenience(t, by: dimension)))
        }
        #expect(before == after)
        // And a runner that saw the whole log in one batch.
        let other = try ProjectionRunner(store: t.store, directory: t.directory.appending("views-2"),
                                         projections: [try Self.projection()])
        other.batchSize = 3
        try other.catchUp()
        let fresh = try other.read(.processingTime) { try json(try Self.projection().report($0, by: .window)) }
        #expect(fresh == before[2 * ReportDimension.allCases.firstIndex(of: .window)!])
    }

    @Test func reportJSONHasTheKeysToolsRelyOn() async throws {
        let t = try await Self.ledger()
        try await Self.recordAll(t)
        let object = try JSONSerialization.jsonObject(with: Data(try json(try report(t)).utf8)) as? [String: Any]
        for key in ["catalogCompression", "actualCompression", "onTimeRate", "formula", "total", "rows"] {
            #expect(object?[key] != nil, "missing \(key)")
        }
        // An undefined ratio is an explicit null.
        let empty = try JSONSerialization.jsonObject(with: Data(try json(try report(t, ReportPeriod(year: 2024))).utf8)) as? [String: Any]
        #expect(empty?["onTimeRate"] is NSNull)
    }

    @Test func theSeedCatalogIsCompressed92Point4Percent() async throws {
        let items = try CatalogItem.loadCatalog(from: ViewLedger.root.appendingPathComponent("seeds/catalog.jsonl"))
        let t = try await ViewLedger(items: items) { ProcessingTimeProjection(calendar: $0) }
        try t.runner.catchUp()
        let r = try report(t)
        #expect(r.catalogCompression.map { ($0 * 1000).rounded() / 10 } == 92.4)
        #expect(r.total.completed == 0)
    }
}
