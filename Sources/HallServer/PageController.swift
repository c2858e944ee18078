import Foundation
import GoldWindowProjection
import Hummingbird
import NIOCore
import CaseStatistics
import ServiceLifecycle
import Synchronization

/// The pages the hall, the analysts and the public read, and the board's live updates.
struct PageController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/") { _, context in
            _ = try context.require([.manager, .auditor], to: "see the hall board")
            let board = try BoardView(hall: hall).render()
            return page(HTML.page(title: "政务服务大厅 · 大厅看板", scripts: ["/static/board.js"]) { $0.raw(board) })
        }
        router.get("/board/fragment") { _, context in
            _ = try context.require([.manager, .auditor], to: "see the hall board")
            return page(try BoardView(hall: hall).render())
        }
        router.get("/board/events") { _, context in
            _ = try context.require([.manager, .auditor], to: "see the hall board")
            return boardEvents()
        }
        router.get("/dashboard") { _, context in
            _ = try context.require([.analyst, .manager, .auditor], to: "see the dashboard")
            return page(try DashboardPage(hall: hall).render())
        }
        router.get("/public") { _, _ in page(try PublicPage(hall: hall).render()) }
        router.get("/login") { _, context in page(loginPage(failed: false, principal: context.principal)) }
        router.post("/login") { request, _ in try await login(request) }
        router.post("/logout") { _, _ in
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.setCookie(PageSession.cookie("", maxAge: 0))
            return response
        }
        router.get("/static/hall.css") { _, _ in Reply.text(PageAssets.css, contentType: "text/css; charset=utf-8") }
        router.get("/static/board.js") { _, _ in Reply.text(PageAssets.boardScript, contentType: "text/javascript; charset=utf-8") }
    }

    private func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Reply.text(html, contentType: "text/html; charset=utf-8", status: status)
    }

    /// Server-Sent Events: one `seq` event each time the views move on (the page then fetches the
    /// board again), a comment every 15 s to keep the connection open.
    private func boardEvents() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        let hall = self.hall
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            hall.metrics.boardSubscribers.increment()
            defer { hall.metrics.boardSubscribers.decrement() }
            var last = hall.progress.reached
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: seq\ndata: \(last)\n\n"))
            // A connection lives ten minutes at most (the browser reconnects by itself), and ends
            // at once when the server shuts down.
            let started = ContinuousClock.now
            let stopping = ShutdownFlag()
            try await withGracefulShutdownHandler {
                while !Task.isCancelled, !stopping.isSet, ContinuousClock.now - started < .seconds(600) {
                    let reached = await hall.progress.wait(until: last + 1, timeout: .seconds(15))
                    if stopping.isSet { break }
                    if reached > last {
                        last = reached
                        try await writer.write(ByteBuffer(string: "event: seq\ndata: \(reached)\n\n"))
                    } else {
                        try await writer.write(ByteBuffer(string: ": ping\n\n"))
                    }
                }
            } onGracefulShutdown: {
                stopping.set()
                hall.progress.wakeAll()
            }
            try await writer.finish(nil)
        })
    }

    private func loginPage(failed: Bool, principal: Principal?) -> String {
        HTML.page(title: "登录") { html in
            if failed { html.element("p", "令牌无效或已吊销。", class: "error") }
            if let principal { html.element("p", "当前：\(principal.name)（\(principal.role.label)）") }
            html.raw("<form method=\"post\" action=\"/login\"><label>访问令牌 <input type=\"password\" name=\"token\" autocomplete=\"off\" required></label> <button type=\"submit\">登录</button></form>")
            html.raw("<form method=\"post\" action=\"/logout\"><button type=\"submit\">退出</button></form>")
            html.element("p", "令牌由系统管理员用 ledger token add 签发；页面凭 HttpOnly Cookie 只读，写入须用 Authorization 请求头。", class: "note")
        }
    }

    /// Checks the posted token and keeps it in an HttpOnly, SameSite=Strict cookie for the pages.
    private func login(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 4096)
        let form = String(buffer: body)
        let token = form.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "token" else { return nil }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }.first ?? ""
        guard hall.tokens.principal(for: token) != nil else {
            return page(loginPage(failed: true, principal: nil), status: .unauthorized)
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(PageSession.cookie(token, maxAge: 12 * 3600))
        return response
    }
}

/// The pages' cookie: the token, HttpOnly (no script reads it), SameSite=Strict (no other site
/// sends it), and good for reading only.
enum PageSession {
    static let cookieName = "hall_token"

    static func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: cookieName, value: value, maxAge: maxAge, path: "/", secure: false, httpOnly: true, sameSite: .strict)
    }
}

/// Set once, read from any task: tells a long response that the server is shutting down.
final class ShutdownFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
