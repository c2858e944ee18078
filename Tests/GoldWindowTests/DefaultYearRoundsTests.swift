import CaseDomain
import DomainTestSupport
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import Ledger
import ProjectionKit
import CaseStatistics
import Simulator
import Testing
import TestSupport

/// The default demo year (the CLI's own pipeline, seed 2023, 50,000 cases) read through the
/// views with the default rules: the report's "已开展评比工作2次，选拔出优质服务窗口6个".
@Suite("GoldWindow: the default year")
struct DefaultYearRoundsTests {
    @Test("two rounds (2023Q3, 2023Q4), six gold windows, few disqualified; 整改率 near 100%, some reviews excluded")
    func twoRoundsSixWindows() async throws {
        let root = ViewLedger.root.appendingPathComponent("seeds")
        let calendar = try ViewLedger.calendar.get()
        let rules = try HallRules.load(from: root.appendingPathComponent("rules.json"))
        let directory = TemporaryDirectory("default-year")
        let store = try EventStore(directory: directory.appending("events"), codec: CaseEventCodec(),
                                   options: .init(initialMapSize: 1 << 30, durable: false))
        let ledger = try CaseLedger(store: store, calendar: calendar)
        let simulator = DistrictSimulator(seeds: try DistrictSeeds.load(directory: root), calendar: calendar, config: SimulationConfig())
        let outcome = try await DemoPipeline(ledger: ledger, simulator: simulator).run()
        #expect(outcome.summary.badReviewsExcluded > 0)

        let gold = GoldWindowProjection(calendar: calendar, rules: rules)
        let evaluations = EvaluationsProjection(calendar: calendar, rules: rules)
        let runner = try ProjectionRunner(store: store, directory: directory.appending("views"), projections: [gold, evaluations])
        try runner.catchUp()
        let report = try runner.read(gold.name) { try gold.report($0, period: ReportPeriod(year: 2023)) }
        #expect(report.quarters.map(\.quarter) == ["2023Q3", "2023Q4"])
        #expect(report.quarters.flatMap(\.gold).count == 6)
        for quarter in report.quarters {
            #expect(quarter.gold.count == 3, "\(quarter.quarter)")
            #expect(quarter.disqualified.count <= 2, "\(quarter.quarter): \(quarter.disqualified.map(\.window))")
        }

        let reviews = try runner.read(evaluations.name) { try evaluations.report($0) }
        #expect((reviews.rectificationRate ?? 0) > 0.97, "差评整改率 \(reviews.rectificationRate ?? 0)")
        #expect(reviews.total.excluded == outcome.summary.badReviewsExcluded)
        #expect(reviews.total.excluded < reviews.total.badReviews / 10)
    }
}
