import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import HallServer

@Suite("The open-connection limit")
struct ConnectionLimitTests {
    @Test("beyond the limit a new connection waits, unanswered, until one closes; then it is served; /metrics counts the open ones")
    func queuesBeyondTheLimit() async throws {
        let fixture = try await HallFixture()
        // Run as `ledger serve` does, not through HummingbirdTesting: its live mode rebuilds the
        // configuration without the connection limit (and opens a connection of its own).
        let port = try freeLoopbackPort()
        let app = try buildApplication(hall: fixture.hall, configuration: HallServerConfiguration(port: port, maxConnections: 2),
                                       logger: Logger(label: "test"))
        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            defer { tasks.cancelAll() }
            let first = try await RawConnection.opened(port: port)
            let second = try RawConnection(port: port)
            defer { second.close() }
            try first.send("GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n")
            #expect(first.receive(until: "\"ok\"", within: .seconds(10)).hasPrefix("HTTP/1.1 200"))
            try second.send("GET /metrics HTTP/1.1\r\nHost: hall\r\n\r\n")
            #expect(second.receive(until: "hall_open_connections 2", within: .seconds(10)).contains("hall_open_connections 2"))

            // The third connects (the kernel queues it) but is not taken while two are open.
            let third = try RawConnection(port: port)
            defer { third.close() }
            try third.send("GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n")
            #expect(third.receive(until: "\"ok\"", within: .milliseconds(500)).isEmpty)

            first.close()
            #expect(third.receive(until: "\"ok\"", within: .seconds(10)).hasPrefix("HTTP/1.1 200"))
            second.close()
            third.close()
            await services.triggerGracefulShutdown()
            try await tasks.next()
        }
    }
}

/// A plain TCP connection to the loopback server, for what an HTTP client library hides (when a
/// connection is taken at all).
final class RawConnection {
    private var descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, connected == 0 else {
            if descriptor >= 0 { Glibc.close(descriptor) }
            throw POSIXError(.ECONNREFUSED)
        }
    }

    /// The first connection once the server listens (it is starting in another task).
    static func opened(port: Int) async throws -> RawConnection {
        for _ in 0 ..< 200 {
            if let connection = try? RawConnection(port: port) { return connection }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try RawConnection(port: port)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// What arrives until `marker` is in it or `within` has passed ("" when nothing came).
    func receive(until marker: String, within limit: Duration) -> String {
        let deadline = ContinuousClock.now + limit
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&poller, 1, milliseconds) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[0 ..< count]
            if String(decoding: received, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
