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

@Suite("The catalog over the API: items as of a moment")
struct CatalogAPITests {
    @Test("every role lists the items in force, by code; asOf replays the catalog stream; no token is 401")
    func list() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            for holder in ["clerk-01", "manager-1", "analyst-1", "auditor-1", "admin-1"] {
                let now = try await client.execute(uri: "/catalog", method: .get, headers: bearer(holder))
                #expect(now.status == .ok, "\(holder)")
                let items = try #require(now.object["items"] as? [[String: Any]])
                #expect(items.map { $0["code"] as? String } == [HallFixture.market, HallFixture.social])
                #expect(now.object["count"] as? Int == 2)
                #expect(now.object["asOf"] is NSNull)
            }
            let before = try await client.execute(uri: "/catalog?asOf=2022-12-31", method: .get, headers: bearer("analyst-1"))
            #expect(before.status == .ok)
            #expect(before.object["count"] as? Int == 0)
            #expect((before.object["asOf"] as? String)?.hasPrefix("2022-12-31T23:59:59") == true)
            #expect(try await client.execute(uri: "/catalog", method: .get).status == .unauthorized)
            let bad = try await client.execute(uri: "/catalog?asOf=yesterday", method: .get, headers: bearer("analyst-1"))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "bad_request")
        }
    }

    @Test("one item as it stood: the limits before and after a revision, with its publishing and revising events")
    func itemAsOf() async throws {
        let fixture = try await HallFixture()
        try await fixture.ledger.publishCatalog(items: [item(HallFixture.market, legal: 20, promised: 3, level: .district, department: "市场监管")],
                                                at: at("2023-07-01T08:00:00+08:00"), actor: "catalog-admin")
        try await fixture.application().test(.router) { client in
            let june = try await client.execute(uri: "/catalog/\(HallFixture.market)?asOf=2023-06-30", method: .get, headers: bearer("clerk-01"))
            #expect(june.status == .ok)
            #expect((june.object["item"] as? [String: Any])?["promisedDays"] as? Int == 5)
            #expect((june.object["revisions"] as? [[String: Any]])?.map { $0["type"] as? String } == ["itemPublished"])

            let now = try await client.execute(uri: "/catalog/\(HallFixture.market)", method: .get, headers: bearer("clerk-01"))
            #expect((now.object["item"] as? [String: Any])?["promisedDays"] as? Int == 3)
            let revisions = try #require(now.object["revisions"] as? [[String: Any]])
            #expect(revisions.map { $0["type"] as? String } == ["itemPublished", "itemRevised"])
            #expect((revisions.last?["at"] as? String)?.hasPrefix("2023-07-01T08:00:00") == true)
            #expect(revisions.last?["actor"] as? String == "catalog-admin")

            let unknown = try await client.execute(uri: "/catalog/LZH-Q-9999", method: .get, headers: bearer("clerk-01"))
            #expect(unknown.status == .notFound)
            let notYet = try await client.execute(uri: "/catalog/\(HallFixture.market)?asOf=2022-06-30", method: .get, headers: bearer("clerk-01"))
            #expect(notYet.status == .notFound)
            let bad = try await client.execute(uri: "/catalog/%3Cscript%3E", method: .get, headers: bearer("clerk-01"))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "bad_item_code")
            #expect(!bad.text.contains("<script>"))
        }
    }
}
