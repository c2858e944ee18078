import CaseDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import HallServer

@Suite("The case API: recording and reading one case")
struct CaseAPITests {
    @Test("a clerk submits and accepts at their window: 201 with positions, and the next GET sees it")
    func recordAndRead() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let body = "[\(submitJSON),\(acceptJSON(window: "W01"))]"
            let created = try await client.execute(uri: "/cases/LZH-2023-000500/events", method: .post,
                                                   headers: jsonHeaders("clerk-01"), body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let positions = try #require(created.object["positions"] as? [[String: Any]])
            #expect(positions.count == 2)
            #expect(positions.map { $0["version"] as? Int } == [0, 1])
            #expect(created.headers[.eTag] == "\"1\"")
            let seq = try #require(positions.last?["seq"] as? Int)
            #expect(Int(created.headers[.hallCheckpoint] ?? "") ?? 0 >= seq)

            let read = try await client.execute(uri: "/cases/LZH-2023-000500", method: .get, headers: bearer("clerk-01"))
            #expect(read.status == .ok)
            let state = try #require(read.object["case"] as? [String: Any])
            #expect(state["status"] as? String == "processing")
            #expect(state["window"] as? String == "W01")
            #expect(read.object["version"] as? Int == 1)
        }
        // The actor is the token's holder.
        let events = try fixture.store.events(of: try CaseNumber("LZH-2023-000500"))
        #expect(events.map(\.actor) == ["clerk-01", "clerk-01"])
    }

    @Test("no token, a malformed header or an unknown token: 401 with the error body")
    func unauthenticated() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Basic abc"], [.authorization: "Bearer nope"]] {
                let response = try await client.execute(uri: "/cases/LZH-2023-000001", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "unauthorized")
                #expect(response.object["message"] is String)
            }
            let post = try await client.execute(uri: "/cases/LZH-2023-000001/events", method: .post, body: ByteBuffer(string: submitJSON))
            #expect(post.status == .unauthorized)
        }
    }

    @Test("analysts, auditors and admins may not record; a clerk not at the case's window may not either")
    func forbiddenWriters() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000010", window: "W01")
        try await fixture.application().test(.router) { client in
            for name in ["analyst-1", "auditor-1", "admin-1"] {
                let response = try await client.execute(uri: "/cases/LZH-2023-000011/events", method: .post,
                                                        headers: jsonHeaders(name), body: ByteBuffer(string: submitJSON))
                #expect(response.status == .forbidden, "\(name)")
                #expect(response.errorCode == "forbidden")
            }
            let visit = eventJSON("visited", at: "2023-06-28T10:00:00+08:00")
            let other = try await client.execute(uri: "/cases/LZH-2023-000010/events", method: .post,
                                                 headers: jsonHeaders("clerk-06"), body: ByteBuffer(string: visit))
            #expect(other.status == .forbidden)
            let own = try await client.execute(uri: "/cases/LZH-2023-000010/events", method: .post,
                                               headers: jsonHeaders("clerk-01"), body: ByteBuffer(string: visit))
            #expect(own.status == .created)
            let manager = try await client.execute(uri: "/cases/LZH-2023-000010/events", method: .post,
                                                   headers: jsonHeaders("manager-1"), body: ByteBuffer(string: visit.replacingOccurrences(of: "10:00", with: "11:00")))
            #expect(manager.status == .created)
        }
    }

    @Test("a clerk accepts only at their own windows; a 首席服务员 also for their granted departments' items")
    func acceptanceWindows() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            _ = try await client.execute(uri: "/cases/LZH-2023-000020/events", method: .post, headers: jsonHeaders("clerk-01"),
                                         body: ByteBuffer(string: submitJSON))
            let elsewhere = try await client.execute(uri: "/cases/LZH-2023-000020/events", method: .post, headers: jsonHeaders("clerk-01"),
                                                     body: ByteBuffer(string: acceptJSON(window: "W02")))
            #expect(elsewhere.status == .forbidden)

            let social = submitJSON.replacingOccurrences(of: HallFixture.market, with: HallFixture.social)
            _ = try await client.execute(uri: "/cases/LZH-2023-000021/events", method: .post, headers: jsonHeaders("chief-01"),
                                         body: ByteBuffer(string: social))
            let granted = try await client.execute(uri: "/cases/LZH-2023-000021/events", method: .post, headers: jsonHeaders("chief-01"),
                                                   body: ByteBuffer(string: acceptJSON(window: "W03", item: HallFixture.social)))
            #expect(granted.status == .created)
            // Once at W03, the plain W01 clerk may not act on it; the chief (人社 granted) may.
            let visit = eventJSON("visited", at: "2023-06-28T10:00:00+08:00")
            let plain = try await client.execute(uri: "/cases/LZH-2023-000021/events", method: .post, headers: jsonHeaders("clerk-01"),
                                                 body: ByteBuffer(string: visit))
            #expect(plain.status == .forbidden)
            let chief = try await client.execute(uri: "/cases/LZH-2023-000021/events", method: .post, headers: jsonHeaders("chief-01"),
                                                 body: ByteBuffer(string: visit))
            #expect(chief.status == .created)
        }
    }

    @Test("If-Match with a stale version: 409 with the current version, nothing written")
    func versionConflict() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000030")
        let before = try fixture.store.digest().seq
        try await fixture.application().test(.router) { client in
            let visit = eventJSON("visited", at: "2023-06-28T10:00:00+08:00")
            let stale = try await client.execute(uri: "/cases/LZH-2023-000030/events", method: .post,
                                                 headers: jsonHeaders("clerk-01", [.ifMatch: "\"0\""]), body: ByteBuffer(string: visit))
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "version_conflict")
            #expect(stale.object["currentVersion"] as? Int == 1)
            #expect(try fixture.store.digest().seq == before)
            let fresh = try await client.execute(uri: "/cases/LZH-2023-000030/events", method: .post,
                                                 headers: jsonHeaders("clerk-01", [.ifMatch: "\"1\""]), body: ByteBuffer(string: visit))
            #expect(fresh.status == .created)
            let envelope = "{\"expectedVersion\":1,\"events\":[\(visit)]}"
            let bodyStale = try await client.execute(uri: "/cases/LZH-2023-000030/events", method: .post,
                                                     headers: jsonHeaders("clerk-01"), body: ByteBuffer(string: envelope))
            #expect(bodyStale.status == .conflict)
            let exists = try await client.execute(uri: "/cases/LZH-2023-000030/events", method: .post,
                                                  headers: jsonHeaders("clerk-01", [.ifNoneMatch: "*"]), body: ByteBuffer(string: submitJSON))
            #expect(exists.status == .conflict)
        }
    }

    @Test("an event the case's state refuses: 422 with the rule's reason")
    func ruleViolation() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let approve = eventJSON("approved", at: "2023-06-28T10:00:00+08:00")
            let refused = try await client.execute(uri: "/cases/LZH-2023-000040/events", method: .post,
                                                   headers: jsonHeaders("manager-1"), body: ByteBuffer(string: approve))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "rule_violation")
            #expect((refused.object["message"] as? String)?.contains("refused") == true)
        }
        #expect(try fixture.store.version(of: try CaseNumber("LZH-2023-000040")) == nil)
    }

    @Test("malformed bodies and parameters: 400 naming the problem")
    func badRequests() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let cases: [(String, String)] = [
                ("/cases/LZH-2023-000050/events", "{not json"),
                ("/cases/LZH-2023-000050/events", "[]"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"nonsense\"}"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"visited\",\"actor\":\"someone-else\"}"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"visited\",\"case\":\"LZH-2023-000051\"}"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"visited\",\"at\":\"yesterday\"}"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"submitted\",\"data\":{\"item\":3}}"),
                ("/cases/LZH-2023-000050/events", "{\"type\":\"visited\",\"extra\":1}"),
                ("/cases/\(String(repeating: "X", count: 51))/events", submitJSON),
            ]
            for (uri, body) in cases {
                let response = try await client.execute(uri: uri, method: .post, headers: jsonHeaders("manager-1"), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorCode != nil)
            }
            let badMatch = try await client.execute(uri: "/cases/LZH-2023-000050/events", method: .post,
                                                    headers: jsonHeaders("manager-1", [.ifMatch: "soon"]), body: ByteBuffer(string: submitJSON))
            #expect(badMatch.status == .badRequest)
            let badAsOf = try await client.execute(uri: "/cases/LZH-2023-000050?asOf=tomorrow", method: .get, headers: bearer("manager-1"))
            #expect(badAsOf.status == .badRequest)
        }
        #expect(try fixture.store.digest().seq == 2) // the catalog alone
    }

    @Test("too many events or too many bytes in one request: 413")
    func tooLarge() async throws {
        var limits = HallLimits()
        limits.maxEventsPerRequest = 3
        limits.maxBodyBytes = 4096
        let fixture = try await HallFixture(limits: limits)
        try await fixture.application().test(.router) { client in
            let four = "[" + Array(repeating: eventJSON("visited", at: "2023-06-28T10:00:00+08:00"), count: 4).joined(separator: ",") + "]"
            let many = try await client.execute(uri: "/cases/LZH-2023-000060/events", method: .post,
                                                headers: jsonHeaders("manager-1"), body: ByteBuffer(string: four))
            #expect(many.status == .contentTooLarge)
            #expect(many.errorCode == "too_many_events")
            let big = "{\"type\":\"rejected\",\"data\":{\"reason\":\"" + String(repeating: "x", count: 8000) + "\"}}"
            let bytes = try await client.execute(uri: "/cases/LZH-2023-000060/events", method: .post,
                                                 headers: jsonHeaders("manager-1"), body: ByteBuffer(string: big))
            #expect(bytes.status == .contentTooLarge)
            #expect(bytes.errorCode == "too_large")
        }
    }

    @Test("a retry with the same Idempotency-Key records the events once and answers the same positions")
    func idempotentRetry() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let headers = jsonHeaders("clerk-01", [.idempotencyKey: "form-7731"])
            let first = try await client.execute(uri: "/cases/LZH-2023-000070/events", method: .post, headers: headers,
                                                 body: ByteBuffer(string: submitJSON))
            let again = try await client.execute(uri: "/cases/LZH-2023-000070/events", method: .post, headers: headers,
                                                 body: ByteBuffer(string: submitJSON))
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(first.object["alreadyRecorded"] as? Bool == false)
            #expect(again.object["alreadyRecorded"] as? Bool == true)
            #expect((first.object["positions"] as? [[String: Int]]) == (again.object["positions"] as? [[String: Int]]))
        }
        #expect(try fixture.store.events(of: try CaseNumber("LZH-2023-000070")).count == 1)
    }

    @Test("reading a case: clerks only at their windows, analysts never; unknown cases 404; asOf replays")
    func readingRules() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000080", window: "W01")
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/cases/LZH-2023-000080", method: .get, headers: bearer("clerk-06")).status == .forbidden)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000080", method: .get, headers: bearer("analyst-1")).status == .forbidden)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000080", method: .get, headers: bearer("auditor-1")).status == .ok)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000099", method: .get, headers: bearer("manager-1")).status == .notFound)
            let before = try await client.execute(uri: "/cases/LZH-2023-000080?asOf=2023-06-26T09:15:00%2B08:00", method: .get,
                                                  headers: bearer("manager-1"))
            #expect(before.status == .ok)
            #expect((before.object["case"] as? [String: Any])?["status"] as? String == "submitted")
        }
    }

    @Test("history: every event with seq, hash and a passing chain check, for auditors and managers only")
    func history() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000090")
        try await fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/cases/LZH-2023-000090/history", method: .get, headers: bearer("auditor-1"))
            #expect(response.status == .ok)
            let events = try #require(response.object["events"] as? [[String: Any]])
            #expect(events.map { $0["type"] as? String } == ["submitted", "accepted"])
            #expect(events.allSatisfy { $0["chainOK"] as? Bool == true && ($0["hash"] as? String)?.count == 64 })
            #expect(try await client.execute(uri: "/cases/LZH-2023-000090/history", method: .get, headers: bearer("clerk-01")).status == .forbidden)
            #expect(try await client.execute(uri: "/cases/LZH-2023-000091/history", method: .get, headers: bearer("auditor-1")).status == .notFound)
        }
    }
}
