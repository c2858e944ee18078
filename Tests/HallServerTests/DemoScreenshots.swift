import Foundation
import Testing

/// The README's and SERVER.md's screenshots, taken from a running `ledger serve` over the demo
/// store (a whole simulated year, 24 windows) rather than the browser test's small fixture. Runs
/// only when asked:
///
/// ```sh
/// HALL_DEMO_URL=http://127.0.0.1:8080 HALL_DEMO_TOKEN=hall_… HALL_SCREENSHOTS=Docs/screenshots \
///     swift test --skip-build --filter DemoScreenshots
/// ```
@Suite("Screenshots of the demo year", .enabled(if: HeadlessChromium.isInstalled && demoServer() != nil,
                                                "set HALL_DEMO_URL and HALL_DEMO_TOKEN to a running demo server"))
struct DemoScreenshots {

    @Test("the board, the dashboard and 政务公开 of the demo year, saved as PNGs")
    func screenshots() async throws {
        let (base, token) = try #require(demoServer())
        let folder = ProcessInfo.processInfo.environment["HALL_SCREENSHOTS"] ?? "Docs/screenshots"
        let chromium = try await HeadlessChromium()
        defer { chromium.close() }
        let page = try await chromium.newPage()
        _ = try await page.send("Network.setCookie", ["name": "hall_token", "value": token, "url": base, "httpOnly": true])

        try await page.open(base + "/")
        #expect(try await page.evaluate("document.querySelectorAll('article.window').length") as? Int ?? 0 > 3)
        try await page.screenshot(to: folder + "/board.png")

        try await page.open(base + "/dashboard")
        #expect(try await page.evaluate("document.querySelectorAll('svg.chart rect.bar').length") as? Int ?? 0 >= 4)
        try await page.screenshot(to: folder + "/dashboard.png")

        _ = try await page.send("Network.deleteCookies", ["name": "hall_token", "url": base])
        try await page.open(base + "/public")
        #expect(try await page.evaluate("document.querySelectorAll('tr.gold-window').length") as? Int ?? 0 >= 1)
        try await page.screenshot(to: folder + "/public.png")
    }
}

/// The demo server to photograph, from HALL_DEMO_URL and HALL_DEMO_TOKEN.
private func demoServer() -> (url: String, token: String)? {
    let environment = ProcessInfo.processInfo.environment
    guard let url = environment["HALL_DEMO_URL"], let token = environment["HALL_DEMO_TOKEN"] else { return nil }
    return (url, token)
}
