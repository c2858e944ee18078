import EvaluationsProjection
import Foundation
import HallViews
import GoldWindowProjection
import Ledger
import ProcessingTimeProjection
import CaseStatistics

/// One figure of the demo's summary and the report that gives it (Docs/FIGURES.md).
struct YearFigure {
    var label: String
    var value: String
    /// The `ledger report` command and the field the value is read from.
    var source: String
}

/// The items whose 2023 figures the bureau's report gives, by their catalog names.
enum ReportedItems {
    static let industryLicence = "行业综合许可证核发"
    static let passwordReset = "社会保障卡密码重置"
    static let wuhanTong = "武汉通公交卡办理"
}

/// The demo's summary of `year`: every figure read from the reports of that year (decisions and
/// reviews dated in it, `--year YEAR`), the same computation `ledger report` runs, so the two
/// cannot disagree. Cases still open at the year's end are counted in the year they are decided.
func yearFigures(_ views: OpenedReportViews, year: Int, itemCodes: [String: String]) throws -> [YearFigure] {
    let period = ReportPeriod(year: year)
    let runner = views.runner
    let time = try runner.read(.processingTime) { try views.processingTime.report($0, period: period, by: .item) }
    let convenience = try runner.read(.processingTime) { try views.processingTime.convenience($0, period: period, by: .item) }
    let themes = try runner.read(.processingTime) { try views.processingTime.convenience($0, period: period, by: .theme) }
    let reviews = try runner.read(.evaluations) { try views.evaluations.report($0, period: period) }
    let t = time.total, c = convenience.total, r = reviews.total
    let y = "--year \(year)"
    func count(_ n: Int) -> String { "\(n)" }
    var figures = [
        YearFigure(label: "办结 completed", value: count(t.completed), source: "processing-time \(y): completed (decided + withdrawn after 受理)"),
        YearFigure(label: "撤回 withdrawn after 受理", value: count(t.withdrawn), source: "processing-time \(y): withdrawn"),
        YearFigure(label: "按时办结率 on-time rate", value: percent(t.onTimeRate),
                   source: "processing-time \(y): onTimeRate = onTime \(t.onTime) / decided \(t.decided); overdue \(t.overdue)"),
        YearFigure(label: "即办件 immediate", value: count(t.immediate), source: "processing-time \(y): immediate (promised limit 0)"),
        YearFigure(label: "承诺时限压缩 catalog compression", value: percent(time.catalogCompression), source: "processing-time: catalogCompression"),
        YearFigure(label: "实际压缩 actual compression", value: percent(t.actualCompression),
                   source: "processing-time \(y): actualCompression = 1 − \(t.effectiveDays) / \(t.legalDays) days"),
        YearFigure(label: "准予 approved", value: count(t.approved), source: "processing-time \(y): approved"),
        YearFigure(label: "证照 certificates", value: count(t.certificates), source: "processing-time \(y): certificates"),
        YearFigure(label: "电子证照 electronic certificates", value: count(t.electronicCertificates),
                   source: "processing-time \(y): electronicCertificates"),
        YearFigure(label: "电子证照入库 entered into the library", value: count(t.certificatesInLibrary),
                   source: "processing-time \(y): certificatesInLibrary"),
        YearFigure(label: "最多跑一次 ≤ 1 visit", value: percent(c.atMostOneVisitShare), source: "convenience \(y): atMostOneVisitShare"),
        YearFigure(label: "零跑动 0 visits", value: percent(c.zeroVisitShare), source: "convenience \(y): zeroVisitShare"),
        YearFigure(label: "全程网办 fully online", value: percent(c.fullyOnlineShare), source: "convenience \(y): fullyOnlineShare"),
        YearFigure(label: "减材料 materials reduced", value: count(c.materialsWaived), source: "convenience \(y): materialsWaived"),
        YearFigure(label: "跨域通办 cross-region", value: count(c.crossRegion), source: "convenience \(y): crossRegion"),
        YearFigure(label: "帮办代办 assisted", value: count(c.assisted), source: "convenience \(y): assisted"),
        YearFigure(label: "一件事一次办 theme cases", value: count(themes.rows.reduce(0) { $0 + $1.completed }),
                   source: "convenience \(y) --by theme: Σ completed over \(themes.rows.count) themes"),
    ]
    func itemRow<Row: LabeledReportRow>(_ rows: [Row], _ name: String) -> (code: String, row: Row?)? {
        guard let code = itemCodes[name] else { return nil }
        return (code, rows.first { $0.key == code })
    }
    if case let (code, row)? = itemRow(time.rows, ReportedItems.industryLicence) {
        figures.append(YearFigure(label: "行业综合许可证 industry licences", value: count(row?.certificates ?? 0),
                                  source: "processing-time \(y) --by item --item \(code): certificates"))
    }
    if case let (code, row)? = itemRow(convenience.rows, ReportedItems.passwordReset) {
        figures.append(YearFigure(label: "社保卡密码异地重置 password resets", value: count(row?.crossRegion ?? 0),
                                  source: "convenience \(y) --by item --item \(code): crossRegion"))
    }
    if case let (code, row)? = itemRow(convenience.rows, ReportedItems.wuhanTong) {
        figures.append(YearFigure(label: "武汉通 cards cross-region", value: count(row?.crossRegion ?? 0),
                                  source: "convenience \(y) --by item --item \(code): crossRegion"))
    }
    figures += [
        YearFigure(label: "好差评 reviews", value: count(r.reviews), source: "evaluations \(y): reviews"),
        YearFigure(label: "好评率 good-review rate", value: percent(reviews.goodReviewRate), source: "evaluations \(y): goodReviewRate (levels 1–3)"),
        YearFigure(label: "评分 score", value: decimal(reviews.score, digits: 2), source: "evaluations \(y): score (of 10)"),
        YearFigure(label: "差评 bad reviews", value: count(r.badReviews), source: "evaluations \(y): badReviews"),
        YearFigure(label: "差评整改率 rectification rate", value: percent(reviews.rectificationRate), source: "evaluations \(y): rectificationRate"),
    ]
    return figures
}

/// The demo's summary of `year`, read from the views (caught up first): the figures of
/// `yearFigures`, then the 金牌窗口 of each quarter of the year.
func headlineFigures(_ options: StoreOptions, store: EventStore, year: Int) throws -> String {
    let started = ContinuousClock.now
    let runner = try options.openViews(store)
    let seconds = (ContinuousClock.now - started).seconds
    let views = try options.hallViews()
    let names = WindowNames.load(options)
    let reportViews = OpenedReportViews(runner: runner, names: names, processingTime: views.processingTime,
                                        evaluations: views.evaluations, goldWindow: views.goldWindow)
    let itemCodes = Dictionary(HallNames(store: store, options: options).items.map { ($1, $0) }, uniquingKeysWith: min)
    let figures = try yearFigures(reportViews, year: year, itemCodes: itemCodes)
    let gold = try runner.read(.goldWindow) { try views.goldWindow.report($0, period: ReportPeriod(year: year)) }
    let events = Double(gold.checkpoint)
    let width = figures.map { displayWidth($0.label) }.max() ?? 0
    let valueWidth = figures.map(\.value.count).max() ?? 0
    var lines = [
        "",
        "views     \(runner.projections.count) read models caught up to seq \(gold.checkpoint) in \(String(format: "%.1f", seconds)) s"
            + " (\(formatCount(events / max(seconds, 1e-9))) events/s)",
        "",
        "\(year) — what was decided and reviewed in \(year); each figure is `ledger report … --year \(year)` (Docs/FIGURES.md):",
    ]
    for figure in figures {
        let pad = String(repeating: " ", count: width - displayWidth(figure.label))
        let valuePad = String(repeating: " ", count: valueWidth - figure.value.count)
        lines.append("  \(figure.label)\(pad)  \(valuePad)\(figure.value)   ← \(figure.source)")
    }
    lines.append("  金牌窗口 gold windows: top \(views.goldWindow.rules.goldWindow.goldCount) by composite score per quarter of \(year) ← gold-windows --year \(year)")
    for quarter in gold.quarters.map(names.named) {
        let winners = quarter.windows.filter(\.gold).map { "\($0.window) \($0.name ?? "") \(String(format: "%.1f", $0.score))" }
        lines.append("    \(quarter.quarter)  \(winners.isEmpty ? "—" : winners.joined(separator: " · "))"
            + (quarter.disqualified.isEmpty ? "" : "  (disqualified: \(quarter.disqualified.map(\.window).joined(separator: ", ")))"))
    }
    return lines.joined(separator: "\n")
}
