import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
@testable import HallServer

@Suite("Tokens follow the tokens file while the server runs")
struct LiveTokensTests {
    @Test("a revoked token is refused on the next request, a new one works at once, a loosened file admits nobody until fixed")
    func revokeWithoutRestart() async throws {
        let directory = TemporaryDirectory("hall-live-tokens")
        let file = TokenFile(path: directory.appending("tokens.json"))
        let clerk = try file.add(name: "clerk-01", role: .clerk, windows: ["W01"], departments: [])
        let fixture = try await HallFixture(tokensFile: file)
        try await fixture.application().test(.router) { client in
            func queue(_ token: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/windows/W01/queue", method: .get, headers: [.authorization: "Bearer " + token]).status
            }
            #expect(try await queue(clerk.token) == .ok)
            // The file's tokens, not the fixed ones the hall was built with.
            #expect(try await queue("t-manager-1") == .unauthorized)

            #expect(try file.revoke("clerk-01") == 1)
            #expect(try await queue(clerk.token) == .unauthorized)

            let manager = try file.add(name: "manager-2", role: .manager, windows: [], departments: [])
            #expect(try await queue(manager.token) == .ok)

            // Fail closed: a file others may read is not trusted, and no token is admitted.
            #expect(chmod(file.path, 0o644) == 0)
            #expect(try await queue(manager.token) == .unauthorized)
            #expect(chmod(file.path, 0o600) == 0)
            #expect(try await queue(manager.token) == .ok)

            // A file that is no longer a tokens file admits nobody either.
            try Data("[{".utf8).write(to: URL(fileURLWithPath: file.path))
            #expect(try await queue(manager.token) == .unauthorized)
        }
    }
}
