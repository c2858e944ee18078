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

/// The fixture's W01 hosts no department, so clerk-01 accepts 人社's item there only under a grant.
@Suite("Admin: 首席服务员 grants over the API")
struct GrantAPITests {
    static func submit(_ time: String) -> String {
        eventJSON("submitted", at: time, data: #"{"item":"LZH-Q-0002","channel":"window","applicant":{"kind":"person","ref":"P-9"}}"#)
    }

    static func accept(_ time: String) -> String {
        eventJSON("accepted", at: time, data: #"{"item":"LZH-Q-0002","window":"W01"}"#)
    }

    @Test("a grant made over the API lets the clerk accept the department's items at their window; its revocation stops it")
    func grantThenRevoke() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            func post(_ uri: String, as holder: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(holder), body: ByteBuffer(string: body))
            }
            #expect(try await post("/cases/LZH-2023-000701/events", as: "clerk-01", Self.submit("2023-06-26T09:00:00+08:00")).status == .created)
            let refused = try await post("/cases/LZH-2023-000701/events", as: "clerk-01", Self.accept("2023-06-26T09:10:00+08:00"))
            #expect(refused.status == .unprocessableContent)
            #expect((refused.object["message"] as? String)?.contains("no grant of 人社") == true)

            let granted = try await post("/grants", as: "admin-1", #"{"clerk":"clerk-01","department":"人社","at":"2023-06-26T09:20:00+08:00"}"#)
            #expect(granted.status == .created)
            let id = try #require(granted.object["id"] as? Int)
            #expect(granted.object["grantedBy"] as? String == "admin-1")
            #expect(granted.object["window"] as? String == "W01")
            #expect(granted.object["inForce"] as? Bool == true)
            #expect(try await post("/cases/LZH-2023-000701/events", as: "clerk-01", Self.accept("2023-06-26T09:30:00+08:00")).status == .created)

            let list = try await client.execute(uri: "/grants", method: .get, headers: bearer("auditor-1"))
            #expect(list.status == .ok)
            #expect((list.object["grants"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])

            let again = try await post("/grants", as: "admin-1", #"{"clerk":"clerk-01","department":"人社","at":"2023-06-26T10:00:00+08:00"}"#)
            #expect(again.status == .unprocessableContent)
            #expect(again.errorCode == "rule_violation")

            let revoked = try await post("/grants/\(id)/revoke", as: "admin-1", #"{"at":"2023-06-27T09:00:00+08:00"}"#)
            #expect(revoked.status == .ok)
            #expect(revoked.object["revokedBy"] as? String == "admin-1")
            #expect(revoked.object["inForce"] as? Bool == false)

            #expect(try await post("/cases/LZH-2023-000702/events", as: "clerk-01", Self.submit("2023-06-27T10:00:00+08:00")).status == .created)
            let after = try await post("/cases/LZH-2023-000702/events", as: "clerk-01", Self.accept("2023-06-27T10:10:00+08:00"))
            #expect(after.status == .unprocessableContent)

            let twice = try await post("/grants/\(id)/revoke", as: "admin-1")
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_revoked")

            // In force then, not now: asOf replays the stream.
            let then = try await client.execute(uri: "/grants?asOf=2023-06-26", method: .get, headers: bearer("manager-1"))
            #expect(then.object["count"] as? Int == 1)
            let later = try await client.execute(uri: "/grants?asOf=2023-06-28&clerk=clerk-01", method: .get, headers: bearer("manager-1"))
            #expect(later.object["count"] as? Int == 0)
        }
        // The grant and its revocation are on the ADMIN stream, the admin as their actor.
        let events = try fixture.store.events(of: .administration)
        #expect(try events.map { try $0.type } == [.departmentGranted, .departmentGrantRevoked])
        #expect(events.map(\.actor) == ["admin-1", "admin-1"])
    }

    @Test("a grant over the API lets the clerk's token record on and read the department's cases at other windows; its revocation ends it (403)")
    func grantReachesOtherWindows() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000710", item: HallFixture.social, window: "W03", on: "2023-06-26")
        try await fixture.application().test(.router) { client in
            func post(_ uri: String, as holder: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(holder), body: ByteBuffer(string: body))
            }
            let visit = eventJSON("visited", at: "2023-06-27T10:00:00+08:00")
            #expect(try await post("/cases/LZH-2023-000710/events", as: "clerk-01", visit).status == .forbidden)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000710", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            let granted = try await post("/grants", as: "admin-1", #"{"clerk":"clerk-01","department":"人社","at":"2023-06-26T12:00:00+08:00"}"#)
            let id = try #require(granted.object["id"] as? Int)
            #expect(try await post("/cases/LZH-2023-000710/events", as: "clerk-01", visit).status == .created)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000710", method: .get, headers: bearer("clerk-01")).status == .ok)
            // Another clerk, without the grant, still may not.
            #expect(try await post("/cases/LZH-2023-000710/events", as: "clerk-06", eventJSON("visited", at: "2023-06-27T11:00:00+08:00")).status == .forbidden)
            #expect(try await post("/grants/\(id)/revoke", as: "admin-1").status == .ok)
            #expect(try await post("/cases/LZH-2023-000710/events", as: "clerk-01", eventJSON("visited", at: "2023-06-27T12:00:00+08:00")).status == .forbidden)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000710", method: .get, headers: bearer("clerk-01")).status == .forbidden)
        }
    }

    @Test("refused grants are 422 with the rule's reason, bad ones 400, unknown ids 404; nothing is written")
    func refusals() async throws {
        let fixture = try await HallFixture(hallRules: true)
        let head = try fixture.store.digest().seq
        try await fixture.application().test(.router) { client in
            func post(_ uri: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders("admin-1"), body: ByteBuffer(string: body))
            }
            let notClerk = try await post("/grants", #"{"clerk":"clerk-99","department":"人社","at":"2023-06-26"}"#)
            #expect(notClerk.status == .unprocessableContent)
            #expect((notClerk.object["message"] as? String)?.contains("no clerk of the hall") == true)
            let hosted = try await post("/grants", #"{"clerk":"clerk-06","department":"市场监管","at":"2023-06-26"}"#)
            #expect(hosted.status == .unprocessableContent)
            #expect((hosted.object["message"] as? String)?.contains("already hosts") == true)
            let noItem = try await post("/grants", #"{"clerk":"clerk-01","department":"水务","at":"2023-06-26"}"#)
            #expect(noItem.status == .unprocessableContent)
            for body in ["", "{}", #"{"clerk":"clerk-01"}"#, #"{"clerk":"clerk-01","department":"人社","by":"someone-else"}"#,
                         #"{"clerk":"clerk-01","department":"人社","at":"tomorrow"}"#, #"{"clerk":7,"department":"人社"}"#] {
                let response = try await post("/grants", body)
                #expect(response.status == .badRequest, "\(body)")
            }
            #expect(try await post("/grants/999999/revoke").status == .notFound)
            let bad = try await post("/grants/abc/revoke")
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "bad_grant_id")
            #expect(try await client.execute(uri: "/grants?clerk=", method: .get, headers: bearer("admin-1")).status == .badRequest)
        }
        #expect(try fixture.store.digest().seq == head)
    }

    @Test("a retried grant with the same Idempotency-Key is recorded once")
    func idempotent() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            var fields = jsonHeaders("admin-1")
            fields[.idempotencyKey] = "grant-1"
            let body = #"{"clerk":"clerk-01","department":"人社","at":"2023-06-26T09:00:00+08:00"}"#
            let first = try await client.execute(uri: "/grants", method: .post, headers: fields, body: ByteBuffer(string: body))
            let retry = try await client.execute(uri: "/grants", method: .post, headers: fields, body: ByteBuffer(string: body))
            #expect(first.status == .created && retry.status == .created)
            #expect(first.object["id"] as? Int == retry.object["id"] as? Int)
        }
        #expect(try fixture.store.events(of: .administration).count == 1)
    }

    @Test("the case API takes no catalog, grant or access events: those streams are no cases (403)")
    func referenceStreamsAreNoCases() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            let grant = eventJSON("departmentGranted", at: "2023-06-26T09:00:00+08:00", data: #"{"clerk":"clerk-01","department":"人社"}"#)
            for (stream, holder) in [("ADMIN", "clerk-01"), ("ADMIN", "manager-1"), ("CATALOG", "manager-1"), ("ACCESS", "clerk-01")] {
                let response = try await client.execute(uri: "/cases/\(stream)/events", method: .post, headers: jsonHeaders(holder),
                                                        body: ByteBuffer(string: grant))
                #expect(response.status == .forbidden, "\(stream) \(holder)")
            }
        }
        #expect(try fixture.store.events(of: .administration).isEmpty)
    }
}
