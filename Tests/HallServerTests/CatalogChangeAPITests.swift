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

@Suite("Admin: catalog changes over the API")
struct CatalogChangeAPITests {
    static func change(_ code: String, promised: Int, legal: Int = 20, department: String = "市场监管", effective: String) -> String {
        #"{"effective":"\#(effective)","item":{"code":"\#(code)","name":"事项\#(code)","department":"\#(department)","level":"district","#
            + #""legalDays":\#(legal),"promisedDays":\#(promised),"caseType":"promised","maxVisits":1,"themes":[]}}"#
    }

    @Test("a new item and a new promised limit, each with its effective date, are visible at GET /catalog/{item} as of then")
    func publishAndRevise() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            func post(_ uri: String, _ body: String) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders("admin-1"), body: ByteBuffer(string: body))
            }
            func item(_ code: String, asOf: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/catalog/\(code)" + (asOf.map { "?asOf=" + $0 } ?? ""), method: .get, headers: bearer("clerk-01"))
            }
            let published = try await post("/catalog", Self.change("LZH-Q-0099", promised: 4, effective: "2023-07-01"))
            #expect(published.status == .created)
            #expect(published.object["type"] as? String == "itemPublished")
            #expect(published.object["actor"] as? String == "admin-1")
            #expect(published.headers[.location] == "/catalog/LZH-Q-0099")
            #expect(try await item("LZH-Q-0099", asOf: "2023-06-30").status == .notFound)
            let new = try await item("LZH-Q-0099", asOf: "2023-07-01")
            #expect(new.status == .ok)
            #expect((new.object["item"] as? [String: Any])?["promisedDays"] as? Int == 4)

            let revised = try await post("/catalog/LZH-Q-0001", Self.change("LZH-Q-0001", promised: 2, effective: "2023-08-01T00:00:00+08:00"))
            #expect(revised.status == .created)
            #expect(revised.object["type"] as? String == "itemRevised")
            #expect((try await item("LZH-Q-0001", asOf: "2023-07-31").object["item"] as? [String: Any])?["promisedDays"] as? Int == 5)
            let now = try await item("LZH-Q-0001")
            #expect((now.object["item"] as? [String: Any])?["promisedDays"] as? Int == 2)
            let revisions = try #require(now.object["revisions"] as? [[String: Any]])
            #expect(revisions.map { $0["type"] as? String } == ["itemPublished", "itemRevised"])
            #expect(revisions.last?["actor"] as? String == "admin-1")
            #expect((revisions.last?["at"] as? String)?.hasPrefix("2023-08-01T00:00:00") == true)
        }
        // The ledger's catalog in force follows: an acceptance after 1 August gets the new limit.
        #expect(fixture.ledger.catalog["LZH-Q-0001"]?.promisedDays == 2)
        #expect(fixture.ledger.catalog.item("LZH-Q-0001", asOf: at("2023-07-15T12:00:00+08:00"))?.promisedDays == 5)
    }

    @Test("a retry with the same Idempotency-Key records the change once; the key reused for another change is 409; a body over 16 KiB 413")
    func retries() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            func post(_ body: String, key: String) async throws -> TestResponse {
                var fields = jsonHeaders("admin-1")
                fields[.idempotencyKey] = key
                return try await client.execute(uri: "/catalog/LZH-Q-0001", method: .post, headers: fields, body: ByteBuffer(string: body))
            }
            let first = try await post(Self.change("LZH-Q-0001", promised: 4, effective: "2023-09-01"), key: "revise-1")
            let retry = try await post(Self.change("LZH-Q-0001", promised: 4, effective: "2023-09-01"), key: "revise-1")
            #expect(first.status == .created && retry.status == .created)
            #expect(first.object["seq"] as? Int == retry.object["seq"] as? Int)
            let reused = try await post(Self.change("LZH-Q-0001", promised: 3, effective: "2023-10-01"), key: "revise-1")
            #expect(reused.status == .conflict)
            #expect(reused.errorCode == "id_conflict")
            let large = try await post(#"{"effective":"2023-10-01","item":{"name":""# + String(repeating: "长", count: 6000) + #""}}"#, key: "revise-2")
            #expect(large.status == .contentTooLarge)
        }
        #expect(try fixture.store.events(of: .catalog).count == 3)
    }

    @Test("refused changes are 422 with the rule's reason, malformed ones 400; nothing is written")
    func refusals() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            func post(_ uri: String, _ body: String) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders("admin-1"), body: ByteBuffer(string: body))
            }
            #expect(try await post("/catalog/LZH-Q-0001", Self.change("LZH-Q-0001", promised: 4, effective: "2023-09-01")).status == .created)
            let head = try fixture.store.digest().seq

            let twice = try await post("/catalog", Self.change("LZH-Q-0001", promised: 4, effective: "2023-10-01"))
            #expect(twice.status == .unprocessableContent)
            #expect(twice.errorCode == "rule_violation")
            #expect((twice.object["message"] as? String)?.contains("already in the catalog") == true)
            let absent = try await post("/catalog/LZH-Q-0077", Self.change("LZH-Q-0077", promised: 4, effective: "2023-10-01"))
            #expect(absent.status == .unprocessableContent)
            #expect((absent.object["message"] as? String)?.contains("publish it first") == true)
            let backdated = try await post("/catalog/LZH-Q-0001", Self.change("LZH-Q-0001", promised: 3, effective: "2023-08-15"))
            #expect(backdated.status == .unprocessableContent)
            #expect((backdated.object["message"] as? String)?.contains("before the item's current version") == true)

            for (uri, body) in [
                ("/catalog", "[]"),
                ("/catalog", #"{"item":{}}"#),
                ("/catalog", Self.change("LZH-Q-0098", promised: 30, legal: 20, effective: "2023-10-01")),
                ("/catalog", Self.change("LZH-Q-0098", promised: 3, effective: "next week")),
                ("/catalog", Self.change("LZH Q 0098", promised: 3, effective: "2023-10-01")),
                ("/catalog/LZH-Q-0002", Self.change("LZH-Q-0001", promised: 3, effective: "2023-10-01")),
                ("/catalog/LZH-Q-0001", #"{"effective":"2023-10-01","item":{"code":"LZH-Q-0001"},"by":"x"}"#),
                ("/catalog/LZH%20Q", Self.change("LZH-Q-0001", promised: 3, effective: "2023-10-01")),
            ] {
                let response = try await post(uri, body)
                #expect(response.status == .badRequest, "\(uri) \(body)")
                #expect(response.object["error"] is String)
            }
            #expect(try fixture.store.digest().seq == head)
            #expect((try await client.execute(uri: "/catalog/LZH-Q-0098", method: .get, headers: bearer("admin-1"))).status == .notFound)
        }
        #expect(fixture.ledger.catalog["LZH-Q-0001"]?.promisedDays == 4)
    }
}
