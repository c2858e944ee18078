import Foundation
import GoldWindowProjection
import CaseStatistics

/// Names of the gold-window score's components as the bureau says them.
let goldComponentNames: [String: String] = [
    "onTimeRate": "按时办结率", "goodReviewRate": "好评率", "volume": "办件量", "rectificationRate": "差评整改率",
    "atMostOneVisitShare": "最多跑一次", "waivedOrOnlineShare": "免提交/全程网办", "immediateShare": "即办件占比",
]

/// `/dashboard`, for analysts: the rates by quarter as charts, the gold-window table with every
/// score's breakdown, and each report as CSV.
struct DashboardPage {
    let hall: Hall

    func render() throws -> String {
        let time = try hall.processingTimeReport(.all, by: .quarter)
        let evaluations = try hall.evaluationsReport(.all, by: .quarter)
        let gold = try hall.goldWindowReport(.all)
        return HTML.page(title: "统计分析") { html in
            html.raw("<section class=\"charts\">")
            html.raw(SVGChart.bars(title: "承诺时限压缩率（目录）", points: time.rows.map { ($0.label, $0.catalogCompression) }))
            html.raw(SVGChart.bars(title: "实际办理时限压缩率", points: time.rows.map { ($0.label, $0.actualCompression) }))
            html.raw(SVGChart.bars(title: "按时办结率", points: time.rows.map { ($0.label, $0.onTimeRate) }))
            html.raw(SVGChart.bars(title: "好评率", points: evaluations.rows.map { ($0.label, $0.goodReviewRate) }))
            html.raw(SVGChart.bars(title: "差评整改率", points: evaluations.rows.map { ($0.label, $0.rectificationRate) }))
            html.raw("</section><section><h2>下载（CSV）</h2><p class=\"downloads\">")
            for (name, label) in [("processing-time", "办理时效"), ("convenience", "便民指标"), ("evaluations", "好差评"), ("gold-windows", "金牌窗口")] {
                html.raw("<a href=\"/reports/\(name)?format=csv\">")
                html.text(label)
                html.raw("</a> ")
            }
            html.raw("</p></section>")
            GoldWindowTable.render(gold, breakdown: true, into: &html)
        }
    }
}

/// `/public`, 政务公开: the aggregate figures a bureau publishes. No token, no case, no person.
struct PublicPage {
    let hall: Hall

    func render() throws -> String {
        let time = try hall.processingTimeReport(.all, by: .quarter)
        let evaluations = try hall.evaluationsReport(.all, by: .quarter)
        let gold = try hall.goldWindowReport(.all)
        return HTML.page(title: "政务公开 · 政务服务统计", nav: [("/public", "政务公开")]) { html in
            html.raw("<section class=\"figures\"><dl>")
            for (label, value) in [("承诺时限压缩率（目录）", time.catalogCompression), ("实际办理时限压缩率", time.actualCompression),
                                   ("按时办结率", time.onTimeRate), ("好评率", evaluations.goodReviewRate)] {
                html.raw("<div><dt>")
                html.text(label)
                html.raw("</dt><dd>")
                html.text(percent(value))
                html.raw("</dd></div>")
            }
            html.raw("</dl></section><section class=\"charts\">")
            html.raw(SVGChart.bars(title: "按时办结率", points: time.rows.map { ($0.label, $0.onTimeRate) }))
            html.raw(SVGChart.bars(title: "好评率", points: evaluations.rows.map { ($0.label, $0.goodReviewRate) }))
            html.raw("</section><section><h2>各季度</h2><table><thead><tr><th>季度</th><th>办结</th><th>按时办结率</th><th>实际压缩率</th><th>好评率</th></tr></thead><tbody>")
            let reviews = Dictionary(evaluations.rows.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            for row in time.rows {
                html.raw("<tr><td>")
                html.text(row.label)
                html.raw("</td><td>")
                html.text(String(row.completed))
                html.raw("</td><td>")
                html.text(percent(row.onTimeRate))
                html.raw("</td><td>")
                html.text(percent(row.actualCompression))
                html.raw("</td><td>")
                html.text(percent(reviews[row.key]?.goodReviewRate))
                html.raw("</td></tr>")
            }
            html.raw("</tbody></table></section>")
            GoldWindowTable.render(gold, breakdown: false, into: &html)
        }
    }
}

/// Each quarter's gold windows; with the breakdown, every window's score and its components.
enum GoldWindowTable {
    static func render(_ report: GoldWindowReport, breakdown: Bool, into html: inout HTML) {
        html.raw("<section class=\"gold\"><h2>金牌窗口</h2>")
        for quarter in report.quarters {
            html.raw("<h3>")
            html.text(quarter.quarter)
            html.raw("</h3><table class=\"gold-table\"><thead><tr><th>名次</th><th>窗口</th><th>得分</th>")
            if breakdown {
                for component in GoldWindowReport.components {
                    html.raw("<th>")
                    html.text(goldComponentNames[component] ?? component)
                    html.raw("</th>")
                }
                html.raw("<th>办结</th>")
            }
            html.raw("</tr></thead><tbody>")
            let entries = breakdown ? quarter.windows + quarter.disqualified : quarter.windows.filter(\.gold)
            for entry in entries {
                html.raw(entry.gold ? "<tr class=\"gold-window\">" : "<tr>")
                html.raw("<td>")
                html.text(entry.rank.map(String.init) ?? "—")
                html.raw("</td><td>")
                html.text((entry.gold ? "★ " : "") + entry.window + " " + (entry.name ?? ""))
                if let reason = entry.disqualification {
                    html.raw("<br><small>")
                    html.text(reason)
                    html.raw("</small>")
                }
                html.raw("</td><td>")
                html.text(String(format: "%.2f", entry.score))
                html.raw("</td>")
                if breakdown {
                    for name in GoldWindowReport.components {
                        html.raw("<td>")
                        if let c = entry.breakdown.first(where: { $0.name == name }) {
                            html.text(String(format: "%.2f", c.points))
                            html.raw("<br><small>")
                            html.text("\(c.numerator)/\(c.denominator) × \(Int(c.weight))")
                            html.raw("</small>")
                        }
                        html.raw("</td>")
                    }
                    html.raw("<td>")
                    html.text(String(entry.completed))
                    html.raw("</td>")
                }
                html.raw("</tr>")
            }
            html.raw("</tbody></table>")
        }
        html.raw("</section>")
    }
}
