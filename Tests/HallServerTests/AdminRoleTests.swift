import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import HallServer

@Suite("Admin routes: only the admin writes")
struct AdminRoleTests {
    /// Every admin write, with a body the admin's request would pass.
    static let writes: [(uri: String, body: String)] = [
        ("/tokens", #"{"name":"clerk-09","role":"clerk","windows":["W01"]}"#),
        ("/tokens/0123456789ab/revoke", ""),
        ("/grants", #"{"clerk":"clerk-01","department":"人社","at":"2023-06-26"}"#),
        ("/grants/1/revoke", ""),
        ("/catalog", CatalogChangeAPITests.change("LZH-Q-0099", promised: 4, effective: "2023-07-01")),
        ("/catalog/LZH-Q-0001", CatalogChangeAPITests.change("LZH-Q-0001", promised: 4, effective: "2023-07-01")),
    ]

    @Test("every other role is 403 on each admin write, no token 401, a bad token 401; nothing is written")
    func writesRefused() async throws {
        let fixture = try await HallFixture(hallRules: true)
        let head = try fixture.store.digest().seq
        try await fixture.application().test(.router) { client in
            for write in Self.writes {
                for holder in ["clerk-01", "chief-01", "manager-1", "analyst-1", "auditor-1"] {
                    let response = try await client.execute(uri: write.uri, method: .post, headers: jsonHeaders(holder), body: ByteBuffer(string: write.body))
                    #expect(response.status == .forbidden, "\(holder) \(write.uri)")
                    #expect(response.errorCode == "forbidden")
                    #expect((response.object["message"] as? String)?.contains("allowed: admin") == true)
                }
                let anonymous = try await client.execute(uri: write.uri, method: .post, headers: [.contentType: "application/json"],
                                                         body: ByteBuffer(string: write.body))
                #expect(anonymous.status == .unauthorized, "\(write.uri)")
                #expect(anonymous.headers[.wwwAuthenticate] != nil)
                let guessed = try await client.execute(uri: write.uri, method: .post, headers: [.authorization: "Bearer t-admin-2"],
                                                       body: ByteBuffer(string: write.body))
                #expect(guessed.status == .unauthorized, "\(write.uri)")
            }
        }
        #expect(try fixture.store.digest().seq == head)
    }

    @Test("an admin's write with the pages' cookie instead of the header is 403")
    func cookieRefused() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            for write in Self.writes {
                let response = try await client.execute(uri: write.uri, method: .post,
                                                        headers: [.cookie: "\(PageSession.cookieName)=t-admin-1", .contentType: "application/json"],
                                                        body: ByteBuffer(string: write.body))
                #expect(response.status == .forbidden, "\(write.uri)")
            }
        }
    }

    @Test("the tokens are the admin's to read; the grants are the admin's, the manager's and the auditor's")
    func reads() async throws {
        let hall = try await TokensFileHall()
        let file = hall.file
        let analyst = try file.add(name: "analyst-1", role: .analyst, windows: [], departments: []).token
        let auditor = try file.add(name: "auditor-1", role: .auditor, windows: [], departments: []).token
        try await hall.fixture.application().test(.router) { client async throws in
            func status(_ uri: String, _ token: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .get, headers: headers(token: token)).status
            }
            #expect(try await status("/tokens", hall.admin) == .ok)
            for token in [hall.manager, hall.clerk, analyst, auditor] { #expect(try await status("/tokens", token) == .forbidden) }
            for token in [hall.admin, hall.manager, auditor] { #expect(try await status("/grants", token) == .ok) }
            for token in [hall.clerk, analyst] { #expect(try await status("/grants", token) == .forbidden) }
            #expect(try await client.execute(uri: "/tokens", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/grants", method: .get).status == .unauthorized)
        }
    }
}
