import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
@testable import HallServer

/// Collects log records in memory.
final class CollectedLog: Sendable {
    let lines = Mutex<[String]>([])

    struct Handler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.lines.withLock { $0.append(text) }
        }
    }
}

@Suite("The request log")
struct RequestLogTests {
    @Test("one line per request with role, route, status and time; no token, no case number, no query")
    func lines() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000600")
        let collected = CollectedLog()
        let app = Application(router: buildRouter(hall: fixture.hall), logger: Logger(label: "hall") { _ in CollectedLog.Handler(log: collected) })
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/cases/LZH-2023-000600?asOf=2023-06-27", method: .get, headers: bearer("manager-1"))
            _ = try await client.execute(uri: "/cases/LZH-2023-000600", method: .get, headers: [.authorization: "Bearer hall_secret-guess"])
            _ = try await client.execute(uri: "/windows/W02/queue", method: .get, headers: bearer("clerk-01"))
        }
        let lines = collected.lines.withLock { $0 }.filter { $0.contains(" request ") }
        #expect(lines.count == 3)
        #expect(lines[0].contains("role=manager") && lines[0].contains("route=/cases/{case}") && lines[0].contains("status=200") && lines[0].contains("ms="))
        #expect(lines[1].hasPrefix("notice") && lines[1].contains("status=401") && lines[1].contains("role=none"))
        #expect(lines[2].hasPrefix("notice") && lines[2].contains("status=403") && lines[2].contains("role=clerk"))
        let everything = collected.lines.withLock { $0 }.joined(separator: "\n")
        for secret in ["t-manager-1", "hall_secret-guess", "t-clerk-01", "LZH-2023-000600", "2023-06-27"] {
            #expect(!everything.contains(secret), "\(secret) reached the log")
        }
    }
}
