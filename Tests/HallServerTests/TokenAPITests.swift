import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Testing
@testable import HallServer

/// A hall that follows a tokens file holding an admin's, a manager's and a clerk's tokens.
struct TokensFileHall {
    let directory = TemporaryDirectory("hall-admin-tokens")
    let file: TokenFile
    let fixture: HallFixture
    let admin: String
    let manager: String
    let clerk: String

    init(hallRules: Bool = false) async throws {
        file = TokenFile(path: directory.appending("tokens.json"))
        admin = try file.add(name: "admin-1", role: .admin, windows: [], departments: []).token
        manager = try file.add(name: "manager-1", role: .manager, windows: [], departments: []).token
        clerk = try file.add(name: "clerk-01", role: .clerk, windows: ["W01"], departments: []).token
        fixture = try await HallFixture(tokensFile: file, hallRules: hallRules)
    }
}

func headers(token: String, json: Bool = false) -> HTTPFields {
    var fields: HTTPFields = [.authorization: "Bearer " + token]
    if json { fields[.contentType] = "application/json" }
    return fields
}

@Suite("Admin: tokens over the API")
struct TokenAPITests {
    @Test("an admin issues a token (shown once, 201), lists tokens without hashes, revokes it and it stops working at once")
    func issueListRevoke() async throws {
        let hall = try await TokensFileHall()
        try await hall.fixture.application().test(.router) { client in
            let issued = try await client.execute(uri: "/tokens", method: .post, headers: headers(token: hall.admin, json: true),
                                                  body: ByteBuffer(string: #"{"name":"clerk-07","role":"clerk","windows":["W02"]}"#))
            #expect(issued.status == .created)
            let token = try #require(issued.object["token"] as? String)
            let id = try #require(issued.object["id"] as? String)
            #expect(token.hasPrefix("hall_"))
            #expect(issued.object["issuedBy"] as? String == "admin-1")
            #expect(issued.object["windows"] as? [String] == ["W02"])
            #expect(issued.object["sha256"] == nil)

            // The new token works from the next request.
            #expect(try await client.execute(uri: "/windows/W02/queue", method: .get, headers: headers(token: token)).status == .ok)

            let list = try await client.execute(uri: "/tokens", method: .get, headers: headers(token: hall.admin))
            #expect(list.status == .ok)
            let tokens = try #require(list.object["tokens"] as? [[String: Any]])
            #expect(tokens.map { $0["name"] as? String } == ["admin-1", "manager-1", "clerk-01", "clerk-07"])
            #expect(list.object["live"] as? Int == 4)
            #expect(!list.text.contains(token) && !list.text.contains(TokenFile.hash(token)) && !list.text.contains("sha256"))

            let revoked = try await client.execute(uri: "/tokens/\(id)/revoke", method: .post, headers: headers(token: hall.admin))
            #expect(revoked.status == .ok)
            #expect(revoked.object["revokedBy"] as? String == "admin-1")
            #expect(revoked.object["revoked"] is String)
            // Refused from the very next request.
            #expect(try await client.execute(uri: "/windows/W02/queue", method: .get, headers: headers(token: token)).status == .unauthorized)

            let again = try await client.execute(uri: "/tokens/\(id)/revoke", method: .post, headers: headers(token: hall.admin))
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_revoked")
            let unknown = try await client.execute(uri: "/tokens/0123456789ab/revoke", method: .post, headers: headers(token: hall.admin))
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
            let bad = try await client.execute(uri: "/tokens/clerk-07/revoke", method: .post, headers: headers(token: hall.admin))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "bad_token_id")
        }
        // The file keeps hashes only, at mode 600, with who issued and revoked.
        let stored = try String(contentsOfFile: hall.file.path, encoding: .utf8)
        #expect(!stored.contains("hall_"))
        var info = stat()
        #expect(stat(hall.file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let record = try #require(try hall.file.load().first { $0.name == "clerk-07" })
        #expect(record.issuedBy == "admin-1" && record.revokedBy == "admin-1" && record.revoked != nil)
    }

    @Test("an admin revoking a manager's token over the API ends the manager's access at once")
    func revokeAnotherHolder() async throws {
        let hall = try await TokensFileHall()
        let managerID = try #require(try hall.file.load().first { $0.name == "manager-1" }?.id)
        try await hall.fixture.application().test(.router) { client async throws in
            #expect(try await client.execute(uri: "/digest", method: .get, headers: headers(token: hall.manager)).status == .ok)
            #expect(try await client.execute(uri: "/tokens/\(managerID)/revoke", method: .post, headers: headers(token: hall.admin)).status == .ok)
            #expect(try await client.execute(uri: "/digest", method: .get, headers: headers(token: hall.manager)).status == .unauthorized)
        }
    }

    @Test("a bad token request is 400, an unknown window or department 422, a name held in another role 409; nothing is issued")
    func refusals() async throws {
        let hall = try await TokensFileHall()
        try await hall.fixture.application().test(.router) { client in
            func issue(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/tokens", method: .post, headers: headers(token: hall.admin, json: true), body: ByteBuffer(string: body))
            }
            for body in ["not json", "[]", #"{"name":"x"}"#, #"{"name":"x","role":"root"}"#, #"{"name":"x","role":"clerk"}"#,
                         #"{"name":"x","role":"manager","windows":["W01"]}"#, #"{"name":"","role":"manager"}"#,
                         #"{"name":"x","role":"manager","sha256":"00"}"#, #"{"name":"x","role":"clerk","windows":[5]}"#,
                         #"{"name":"x","role":"clerk","windows":["W 1"]}"#] {
                let response = try await issue(body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.object["message"] is String, "\(body)")
            }
            let window = try await issue(#"{"name":"clerk-09","role":"clerk","windows":["W99"]}"#)
            #expect(window.status == .unprocessableContent)
            #expect(window.errorCode == "unknown_window")
            let department = try await issue(#"{"name":"clerk-09","role":"clerk","windows":["W01"],"departments":["水务"]}"#)
            #expect(department.status == .unprocessableContent)
            #expect(department.errorCode == "unknown_department")
            let taken = try await issue(#"{"name":"manager-1","role":"admin"}"#)
            #expect(taken.status == .conflict)
            #expect(taken.errorCode == "name_in_use")
            // The same holder in the same role may hold a second token (a rotation).
            #expect(try await issue(#"{"name":"manager-1","role":"manager"}"#).status == .created)
            let large = try await issue("{\"name\":\"" + String(repeating: "x", count: 20_000) + "\",\"role\":\"manager\"}")
            #expect(large.status == .contentTooLarge)
        }
        #expect(try hall.file.load().map(\.name) == ["admin-1", "manager-1", "clerk-01", "manager-1"])
    }

    @Test("issuers writing the tokens file at once (the CLI beside a running server) lose no token: each change holds the file's lock")
    func concurrentIssuers() async throws {
        let directory = TemporaryDirectory("hall-token-lock")
        let path = directory.appending("tokens.json")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0 ..< 8 {
                group.addTask {
                    for n in 0 ..< 5 { _ = try TokenFile(path: path).add(name: "m-\(writer)-\(n)", role: .manager, windows: [], departments: []) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try TokenFile(path: path).load().count == 40)
    }

    @Test("a server with fixed tokens (no tokens file) answers 409 no_tokens_file to the admin")
    func fixedTokens() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let list = try await client.execute(uri: "/tokens", method: .get, headers: bearer("admin-1"))
            #expect(list.status == .conflict)
            #expect(list.errorCode == "no_tokens_file")
            let issue = try await client.execute(uri: "/tokens", method: .post, headers: jsonHeaders("admin-1"),
                                                 body: ByteBuffer(string: #"{"name":"m","role":"manager"}"#))
            #expect(issue.status == .conflict)
        }
    }

    @Test("the request log never holds an issued token, nor the admin's")
    func logHoldsNoToken() async throws {
        let hall = try await TokensFileHall()
        let collected = CollectedLog()
        let app = Application(router: buildRouter(hall: hall.fixture.hall), logger: Logger(label: "hall") { _ in CollectedLog.Handler(log: collected) })
        let issued = try await app.test(.router) { client in
            let response = try await client.execute(uri: "/tokens", method: .post, headers: headers(token: hall.admin, json: true),
                                                    body: ByteBuffer(string: #"{"name":"auditor-2","role":"auditor"}"#))
            let issued = try #require(response.object["token"] as? String)
            let id = try #require(response.object["id"] as? String)
            _ = try await client.execute(uri: "/tokens/\(id)/revoke", method: .post, headers: headers(token: hall.admin))
            return issued
        }
        let lines = collected.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("route=/tokens/{id}/revoke") && $0.contains("status=200") && $0.contains("role=admin") })
        let everything = lines.joined(separator: "\n")
        #expect(!issued.isEmpty)
        for secret in [issued, hall.admin, TokenFile.hash(issued)] { #expect(!everything.contains(secret)) }
    }
}
