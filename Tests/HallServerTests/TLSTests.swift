import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOSSL
import TestSupport
import Testing
@testable import HallServer

@Suite("HTTPS with --tls-cert and --tls-key", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl to make a certificate"))
struct TLSTests {
    @Test("the server speaks HTTPS only: a token crosses the network encrypted, and plain HTTP gets no answer")
    func https() async throws {
        let directory = TemporaryDirectory("hall-tls")
        let certificate = directory.appending("cert.pem"), key = directory.appending("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let fixture = try await HallFixture()
        let app = try buildApplication(hall: fixture.hall, configuration: HallServerConfiguration(
            port: 0, tlsCertificate: certificate, tlsKey: key), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
            let https = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let plain = HTTPClient(eventLoopGroupProvider: .singleton)
            var failure: (any Error)?
            do { try await Self.check(https: https, plain: plain, port: port) } catch { failure = error }
            try await https.shutdown()
            try await plain.shutdown()
            if let failure { throw failure }
        }
    }

    static func check(https: HTTPClient, plain: HTTPClient, port: Int) async throws {
        var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/digest")
        request.headers.add(name: "Authorization", value: "Bearer t-auditor-1")
        let response = try await https.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
        let body = try await response.body.collect(upTo: 1 << 16)
        #expect(String(buffer: body).contains("\"digest\""))
        await #expect(throws: (any Error).self) {
            _ = try await plain.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
        }
    }
}
