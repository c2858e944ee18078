import CaseDomain
import Foundation
import Hummingbird

/// The auditor's page of one case: its timeline with each event's seq, time, actor, data and
/// hash, and whether each record still re-hashes to its link in the chain.
struct CasePage {
    let hall: Hall

    func render(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.auditor, .manager], to: "see a case's timeline")
        let caseNumber = try RequestInput(request: request, context: context).caseNumber()
        let events = try CaseHistory.read(caseNumber, from: hall.store)
        guard !events.isEmpty else { throw HallError.notFound("case \(caseNumber.rawValue) has no events") }
        let intact = events.allSatisfy(\.chainOK)
        let page = HTML.page(title: "办件 \(caseNumber.rawValue)") { html in
            html.element("p", intact ? "链校验：本件 \(events.count) 条记录均与哈希链一致。" : "链校验：有记录与哈希链不一致！",
                         class: intact ? "chain-ok" : "chain-bad")
            html.raw("<table class=\"timeline\"><thead><tr><th>序号</th><th>时间</th><th>经办人</th><th>事件</th><th>内容</th><th>哈希</th><th>校验</th></tr></thead><tbody>")
            for event in events {
                html.raw("<tr><td>")
                html.text(String(event.seq))
                html.raw("</td><td>")
                html.text(event.at.chinaTime)
                html.raw("</td><td>")
                html.text(event.actor)
                html.raw("</td><td>")
                html.text(event.type.name)
                html.raw("</td><td class=\"data\">")
                var w = JSONWriter()
                if let data = event.data { data.writeJSON(into: &w) } else { w.null() }
                html.text(String(decoding: w.bytes, as: UTF8.self))
                html.raw("</td><td class=\"hash\" title=\"\(HTML.escape(event.hash))\">")
                html.text(String(event.hash.prefix(16)) + "…")
                html.raw("</td><td>")
                html.text(event.chainOK ? "✓" : "✗")
                html.raw("</td></tr>")
            }
            html.raw("</tbody></table>")
        }
        return Reply.text(page, contentType: "text/html; charset=utf-8")
    }
}
