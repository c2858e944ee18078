import CaseDomain
import DomainTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import TestSupport
import Testing
@testable import HallServer

@Suite("Operations endpoints, the OpenAPI document and the tokens file")
struct OpsAndTokenTests {
    @Test("healthz, readyz and metrics answer without a token; metrics count appends and the views' lag")
    func operations() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.object["lag"] as? Int == 0)
            _ = try await client.execute(uri: "/cases/LZH-2023-000300/events", method: .post, headers: jsonHeaders("clerk-01"),
                                         body: ByteBuffer(string: submitJSON))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            for name in ["ledger_appends_total 1", "ledger_appended_events_total 1", "ledger_append_seconds_bucket", "projection_lag_events 0",
                         "projection_lag_seconds", "ledger_map_bytes", "hall_http_requests_total"] {
                #expect(metrics.text.contains(name), "\(name)")
            }
        }
    }

    @Test("readyz is 503 while the views trail the log by more than the bound")
    func notReady() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000310")
        let visits = (0 ..< Int(OpsController.readyLag) + 2).map { _ in
            CaseEventDraft(id: .timeOrdered(), request: .record(.visited), at: at("2023-06-27T10:00:00+08:00"))
        }
        _ = try await fixture.ledger.record(visits, to: try CaseNumber(caseNumber: "LZH-2023-000310"), actor: "clerk-01")
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            try fixture.hall.catchUp()
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test("every route served is in /openapi.yaml, and every path there is served")
    func openAPICoverage() async throws {
        let fixture = try await HallFixture()
        let table = RouteTable()
        _ = buildRouter(hall: fixture.hall, table: table)
        var documented: Set<String> = []
        var path: String?
        for line in OpenAPIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            if let path, line.hasPrefix("    "), !line.hasPrefix("     "), let method = ["get:", "post:", "put:", "delete:"].first(where: { line.hasSuffix(" " + $0) }) {
                documented.insert(method.dropLast().uppercased() + " " + path)
            }
        }
        let served = Set(table.routes)
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented, not served: \(documented.subtracting(served).sorted())")
        #expect(served.count >= 20)
        try await fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test("tokens: printed once, kept as SHA-256, refused when revoked; the file must be mode 600")
    func tokenFile() throws {
        let directory = TemporaryDirectory("hall-tokens")
        let file = TokenFile(path: directory.appending("tokens.json"))
        let issued = try file.add(name: "clerk-07", role: .clerk, windows: ["W02"], departments: [])
        #expect(issued.token.hasPrefix("hall_") && issued.token.count > 40)
        let stored = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(!stored.contains(issued.token))
        #expect(stored.contains(TokenFile.hash(issued.token)))
        var info = stat()
        stat(file.path, &info)
        #expect(info.st_mode & 0o777 == 0o600)

        let authority = TokenAuthority(records: try file.load())
        #expect(authority.principal(for: issued.token)?.name == "clerk-07")
        #expect(authority.principal(for: issued.token + "x") == nil)
        #expect(authority.principal(for: "") == nil)

        #expect(try file.revoke(issued.record.id) == 1)
        #expect(TokenAuthority(records: try file.load()).principal(for: issued.token) == nil)
        #expect(try file.revoke("nobody") == 0)

        chmod(file.path, 0o644)
        #expect(throws: TokenFileError.self) { try file.load() }
        chmod(file.path, 0o600)
        try "not json".write(toFile: file.path, atomically: false, encoding: .utf8)
        chmod(file.path, 0o600)
        #expect(throws: TokenFileError.self) { try file.load() }
    }
}
