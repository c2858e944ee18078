import EvaluationsProjection
import Foundation
import HallViews
import GoldWindowProjection
import Ledger
import ProcessingTimeProjection
import CaseStatistics

/// The demo's headline figures, read from the views (caught up first): the two compressions,
/// the on-time rate, 好评率, and the 金牌窗口 of each quarter of `year` (cases still open at the
/// year's end are decided in the next one; their quarter is not a full round).
func headlineFigures(_ options: StoreOptions, store: EventStore, year: Int) throws -> String {
    let started = ContinuousClock.now
    let runner = try options.openViews(store)
    let seconds = (ContinuousClock.now - started).seconds
    let views = try options.hallViews()
    let names = WindowNames.load(options)
    let time = try runner.read(.processingTime) { try views.processingTime.report($0) }
    let reviews = try runner.read(.evaluations) { try views.evaluations.report($0) }
    let gold = try runner.read(.goldWindow) { try views.goldWindow.report($0, period: ReportPeriod(year: year)) }
        .quarters.map(names.named)
    let events = Double(time.checkpoint)
    var lines = [
        "",
        "views     \(runner.projections.count) read models caught up to seq \(time.checkpoint) in \(String(format: "%.1f", seconds)) s"
            + " (\(formatCount(events / max(seconds, 1e-9))) events/s)",
        "承诺时限压缩  catalog compression  \(percent(time.catalogCompression))   1 − Σ promised / Σ legal over catalog items with a legal limit",
        "实际压缩      actual compression   \(percent(time.actualCompression))   1 − Σ effective working days / Σ legal days over completed cases",
        "按时办结率    on-time rate         \(percent(time.onTimeRate))   \(time.total.onTime) of \(time.total.completed) completed by the deadline (\(time.total.overdue) overdue)",
        "好评率        good-review rate     \(percent(reviews.goodReviewRate))   levels 1–3 of \(reviews.total.reviews) reviews; score \(decimal(reviews.score, digits: 2)) / 10; 差评整改率 \(percent(reviews.rectificationRate))",
        "金牌窗口      gold windows         top \(views.goldWindow.rules.goldWindow.goldCount) by composite score per quarter of \(year) (`ledger report gold-windows` for the breakdown)",
    ]
    for quarter in gold {
        let winners = quarter.windows.filter(\.gold).map { "\($0.window) \($0.name ?? "") \(String(format: "%.1f", $0.score))" }
        lines.append("  \(quarter.quarter)  \(winners.isEmpty ? "—" : winners.joined(separator: " · "))"
            + (quarter.disqualified.isEmpty ? "" : "  (disqualified: \(quarter.disqualified.map(\.window).joined(separator: ", ")))"))
    }
    return lines.joined(separator: "\n")
}
