import CaseDomain
import DomainTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import HallServer

@Suite("The pages: board, dashboard, public, case timeline, login")
struct PageTests {
    /// A case whose comment and rejection reason hold markup and script.
    static let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"

    @Test("the board lists each window's open cases with their marks, queue length and today's completions")
    func board() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000200", window: "W01", on: "2023-06-20")   // overdue on 06-30: red
        try await fixture.openCase("LZH-2023-000201", window: "W01", on: "2023-06-26")   // due 07-03, the next working day: yellow
        try await fixture.openCase("LZH-2023-000203", window: "W01", on: "2023-06-29")   // due 07-06: none
        try await fixture.openCase("LZH-2023-000202", window: "W02", on: "2023-06-26")
        try await fixture.ledger.record(.approved(certificate: nil), to: try CaseNumber("LZH-2023-000202"),
                                        at: at("2023-06-30T15:00:00+08:00"), actor: "clerk-06")
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: bearer("manager-1"))
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("data-case=\"LZH-2023-000200\" data-mark=\"red\""))
            #expect(page.text.contains("data-case=\"LZH-2023-000201\" data-mark=\"yellow\""))
            #expect(page.text.contains("data-case=\"LZH-2023-000203\" data-mark=\"none\""))
            #expect(page.text.contains("排队 3 件 · 今日办结 0 件"))
            #expect(page.text.contains("排队 0 件 · 今日办结 1 件"))
            #expect(page.text.contains("/static/board.js"))
            #expect(try await client.execute(uri: "/", method: .get, headers: bearer("analyst-1")).status == .forbidden)
            #expect(try await client.execute(uri: "/", method: .get).status == .unauthorized)
            let fragment = try await client.execute(uri: "/board/fragment", method: .get, headers: bearer("auditor-1"))
            #expect(fragment.text.hasPrefix("<section id=\"board\""))
        }
    }

    @Test("every page carries the Content-Security-Policy, nosniff and frame-ancestors 'none'")
    func securityHeaders() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            for uri in ["/public", "/login", "/healthz", "/cases/LZH-2023-000001"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }

    @Test("a comment or reason holding markup is escaped on the case page and the board")
    func escaping() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000210", window: "W01", on: "2023-06-20")
        let number = try CaseNumber("LZH-2023-000210")
        try await fixture.ledger.record(.suspended(procedure: .expertReview, reason: Self.hostile), to: number,
                                        at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            var headers = bearer("auditor-1")
            headers[.accept] = "text/html"
            let page = try await client.execute(uri: "/cases/LZH-2023-000210", method: .get, headers: headers)
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(!page.text.contains("<img src=x"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.text.contains("链校验：本件 3 条记录均与哈希链一致"))
            let board = try await client.execute(uri: "/", method: .get, headers: bearer("auditor-1"))
            #expect(!board.text.contains("<script>alert"))
        }
        #expect(HTML.escape("<a href=\"x\" onerror='y'>&`") == "&lt;a href=&quot;x&quot; onerror=&#39;y&#39;&gt;&amp;&#96;")
    }

    @Test("the dashboard draws SVG charts and the gold-window breakdown; /public needs no token and shows no case")
    func statistics() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000220", window: "W01", on: "2023-06-20")
        try await fixture.ledger.record(.approved(certificate: nil), to: try CaseNumber("LZH-2023-000220"),
                                        at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            let dashboard = try await client.execute(uri: "/dashboard", method: .get, headers: bearer("analyst-1"))
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.components(separatedBy: "<svg class=\"chart\"").count - 1 == 5)
            #expect(dashboard.text.contains("金牌窗口"))
            #expect(dashboard.text.contains("2023Q2"))
            #expect(dashboard.text.contains("/reports/gold-windows?format=csv"))
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            let open = try await client.execute(uri: "/public", method: .get)
            #expect(open.status == .ok)
            #expect(open.text.contains("按时办结率"))
            #expect(open.text.contains("<svg"))
            #expect(!open.text.contains("LZH-2023-"))
            #expect(!open.text.contains("clerk-"))
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie that reads pages but cannot record events")
    func cookieSession() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let bad = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: "token=wrong"))
            #expect(bad.status == .unauthorized)
            let good = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "token=t-manager-1"))
            #expect(good.status == .seeOther)
            let cookie = try #require(good.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let board = try await client.execute(uri: "/", method: .get, headers: [.cookie: "hall_token=t-manager-1"])
            #expect(board.status == .ok)
            let write = try await client.execute(uri: "/cases/LZH-2023-000230/events", method: .post,
                                                 headers: [.cookie: "hall_token=t-manager-1", .contentType: "application/json"],
                                                 body: ByteBuffer(string: submitJSON))
            #expect(write.status == .forbidden)
        }
    }
}
