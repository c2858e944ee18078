import CaseDomain
import CaseStateProjection
import Foundation

/// The hall board: per window, its open cases with working days left and their marks (yellow:
/// due today or the next working day; red: overdue), the queue's length and today's completions.
struct BoardView {
    let hall: Hall
    /// Cases listed per window; the rest are counted.
    static let casesShown = 8

    /// The `<section id="board">` the page embeds and the live updates replace.
    func render() throws -> String {
        let today = hall.today
        let completions = hall.completions.completions(on: today)
        let checkpoint = hall.progress.reached
        let catalog = hall.ledger.catalog
        let windowIDs = try hall.windows.isEmpty ? hall.queries.read { try $0.windows() } : hall.windows.map(\.id)
        let queues = try hall.queries.read { view in try windowIDs.map { ($0, try view.queue(window: $0, today: today)) } }
        let red = queues.reduce(0) { $0 + $1.1.count { $0.warning == .red } }
        let yellow = queues.reduce(0) { $0 + $1.1.count { $0.warning == .yellow } }
        var html = HTML()
        html.raw("<section id=\"board\" data-checkpoint=\"\(checkpoint)\">")
        html.raw("<p class=\"summary\">")
        html.text("\(today) · 在办 \(queues.reduce(0) { $0 + $1.1.count }) 件 · 红牌 \(red) · 黄牌 \(yellow) · 今日办结 \(completions.values.reduce(0, +)) 件 · 日志序号 \(checkpoint)")
        html.raw("</p><div class=\"windows\">")
        for (window, cases) in queues {
            let name = hall.windowName(window) ?? ""
            let marks = cases.count { $0.warning == .red } > 0 ? " has-red" : (cases.count { $0.warning == .yellow } > 0 ? " has-yellow" : "")
            html.raw("<article class=\"window\(marks)\" data-window=\"\(HTML.escape(window))\"><h2>")
            html.text("\(window) \(name)")
            html.raw("</h2><p class=\"counts\">")
            html.text("排队 \(cases.count) 件 · 今日办结 \(completions[window] ?? 0) 件")
            html.raw("</p><ul>")
            for report in cases.prefix(Self.casesShown) {
                let mark = report.warning == .red ? "red" : (report.warning == .yellow ? "yellow" : "none")
                html.raw("<li class=\"case mark-\(mark)\" data-case=\"\(HTML.escape(report.caseNumber.rawValue))\" data-mark=\"\(mark)\">")
                html.raw("<span class=\"number\">")
                html.text(report.caseNumber.rawValue)
                html.raw("</span> <span class=\"item\">")
                html.text(report.item.flatMap { catalog[$0]?.name } ?? report.item ?? "")
                html.raw("</span> <span class=\"left\">")
                html.text(Self.daysLeft(report))
                html.raw("</span></li>")
            }
            if cases.count > Self.casesShown {
                html.raw("<li class=\"more\">")
                html.text("另有 \(cases.count - Self.casesShown) 件")
                html.raw("</li>")
            }
            html.raw("</ul></article>")
        }
        html.raw("</div></section>")
        return html.output
    }

    static func daysLeft(_ report: CaseStateReport) -> String {
        var text: String
        if let left = report.remainingWorkingDays {
            text = left >= 0 ? "剩 \(left) 个工作日" : "超期 \(-left) 个工作日"
        } else {
            text = "即办"
        }
        switch report.warning {
        case .red: text += " 红牌"
        case .yellow: text += " 黄牌"
        case .none: break
        }
        if report.suspended { text += " 挂起" }
        return text
    }
}
