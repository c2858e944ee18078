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

@Suite("The hall's lists, reports and chain over HTTP")
struct HallQueryTests {
    @Test("a window's queue: its clerk and managers read it; another window's clerk gets 403; an unknown window 404")
    func queue() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000100", window: "W01", on: "2023-06-20")
        try await fixture.openCase("LZH-2023-000101", window: "W02", on: "2023-06-26")
        try await fixture.application().test(.router) { client in
            let own = try await client.execute(uri: "/windows/W01/queue", method: .get, headers: bearer("clerk-01"))
            #expect(own.status == .ok)
            let cases = try #require(own.object["cases"] as? [[String: Any]])
            #expect(cases.map { $0["case"] as? String } == ["LZH-2023-000100"])
            #expect(own.object["name"] as? String == "综合窗口")
            #expect(try await client.execute(uri: "/windows/W02/queue", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            #expect(try await client.execute(uri: "/windows/W02/queue", method: .get, headers: bearer("manager-1")).status == .ok)
            #expect(try await client.execute(uri: "/windows/W99/queue", method: .get, headers: bearer("manager-1")).status == .notFound)
            #expect(try await client.execute(uri: "/windows/W%3Cb%3E/queue", method: .get, headers: bearer("manager-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/windows/W01/queue", method: .get, headers: bearer("analyst-1")).status == .forbidden)
        }
    }

    @Test("due and overdue: ?within is required and bounded; a clerk sees only their windows")
    func dueAndOverdue() async throws {
        let fixture = try await HallFixture()
        // Accepted 2023-06-20 with 5 working days: due 2023-06-28 (Dragon Boat holiday aside), overdue on 06-30.
        try await fixture.openCase("LZH-2023-000110", window: "W01", on: "2023-06-20")
        try await fixture.openCase("LZH-2023-000111", window: "W02", on: "2023-06-20")
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/due", method: .get, headers: bearer("manager-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/due?within=999", method: .get, headers: bearer("manager-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/due?within=x", method: .get, headers: bearer("manager-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/due?within=3", method: .get, headers: bearer("manager-1")).status == .ok)
            let late = try await client.execute(uri: "/overdue", method: .get, headers: bearer("manager-1"))
            #expect(late.status == .ok)
            #expect(late.object["count"] as? Int == 2)
            let clerk = try await client.execute(uri: "/overdue", method: .get, headers: bearer("clerk-01"))
            #expect((clerk.object["cases"] as? [[String: Any]])?.map { $0["case"] as? String } == ["LZH-2023-000110"])
            #expect(try await client.execute(uri: "/overdue?window=W02", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            #expect(try await client.execute(uri: "/overdue", method: .get, headers: bearer("analyst-1")).status == .forbidden)
        }
    }

    @Test("bad reviews: an open 差评 is listed with its deadline; analysts and clerks may not read them")
    func badReviews() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000120", window: "W01", on: "2023-06-20")
        let number = try CaseNumber("LZH-2023-000120")
        try await fixture.ledger.record(.approved(certificate: nil), to: number, at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try await fixture.ledger.record(.evaluated(Evaluation(level: 5, channel: .hallTablet, comment: "太慢")), to: number,
                                        at: at("2023-06-21T11:00:00+08:00"), actor: "clerk-01")
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/bad-reviews", method: .get, headers: bearer("manager-1"))
            #expect(response.status == .ok)
            let open = try #require(response.object["open"] as? [[String: Any]])
            #expect(open.map { $0["case"] as? String } == ["LZH-2023-000120"])
            #expect(open.first?["deadline"] is String)
            #expect((response.object["totals"] as? [String: Int])?["badReviews"] == 1)
            let none = try await client.execute(uri: "/bad-reviews?dueWithin=0", method: .get, headers: bearer("manager-1"))
            #expect((none.object["open"] as? [Any])?.isEmpty == true)
            #expect(try await client.execute(uri: "/bad-reviews?open=maybe", method: .get, headers: bearer("manager-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/bad-reviews", method: .get, headers: bearer("analyst-1")).status == .forbidden)
            #expect(try await client.execute(uri: "/bad-reviews", method: .get, headers: bearer("clerk-01")).status == .forbidden)
        }
    }

    @Test("reports as JSON and CSV for analysts; unknown names 404, bad parameters 400, clerks 403")
    func reports() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000130", window: "W01", on: "2023-06-20")
        try await fixture.ledger.record(.approved(certificate: nil), to: try CaseNumber("LZH-2023-000130"),
                                        at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            for name in ["processing-time", "convenience", "evaluations", "gold-windows"] {
                let json = try await client.execute(uri: "/reports/\(name)?year=2023", method: .get, headers: bearer("analyst-1"))
                #expect(json.status == .ok, "\(name)")
                #expect(json.object["formula"] is String, "\(name)")
                let csv = try await client.execute(uri: "/reports/\(name)?format=csv", method: .get, headers: bearer("analyst-1"))
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(csv.text.contains("\r\n"))
            }
            let byWindow = try await client.execute(uri: "/reports/processing-time?by=window", method: .get, headers: bearer("analyst-1"))
            #expect((byWindow.object["rows"] as? [[String: Any]])?.first?["label"] as? String == "综合窗口")
            #expect(try await client.execute(uri: "/reports/salaries", method: .get, headers: bearer("analyst-1")).status == .notFound)
            #expect(try await client.execute(uri: "/reports/evaluations?quarter=5", method: .get, headers: bearer("analyst-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/reports/evaluations?by=colour", method: .get, headers: bearer("analyst-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/reports/evaluations?format=xml", method: .get, headers: bearer("analyst-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/reports/evaluations", method: .get, headers: bearer("clerk-01")).status == .forbidden)
        }
    }

    @Test("digest for every role, verify for auditors and managers, with a bounded range")
    func chain() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000140")
        try await fixture.application().test(.router) { client in
            let digest = try await client.execute(uri: "/digest", method: .get, headers: bearer("clerk-01"))
            #expect(digest.object["seq"] as? Int == 4)
            let verify = try await client.execute(uri: "/verify", method: .get, headers: bearer("auditor-1"))
            #expect(verify.object["ok"] as? Bool == true)
            #expect(verify.object["checked"] as? Int == 4)
            #expect(try await client.execute(uri: "/verify?from=3&to=2", method: .get, headers: bearer("auditor-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/verify?to=99", method: .get, headers: bearer("auditor-1")).status == .badRequest)
            #expect(try await client.execute(uri: "/verify", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            #expect(try await client.execute(uri: "/digest", method: .get).status == .unauthorized)
        }
    }

    @Test("requests beyond a token's rate: 429 with Retry-After")
    func rateLimit() async throws {
        var limits = HallLimits()
        limits.requestsPerTokenPerSecond = 0.001   // one request, then one per 1,000 s: no timing in the test
        let fixture = try await HallFixture(limits: limits)
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/digest", method: .get, headers: bearer("auditor-1")).status == .ok)
            let limited = try await client.execute(uri: "/digest", method: .get, headers: bearer("auditor-1"))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            #expect(limited.errorCode == "rate_limited")
            // Another holder has their own bucket.
            #expect(try await client.execute(uri: "/digest", method: .get, headers: bearer("manager-1")).status == .ok)
        }
    }
}
