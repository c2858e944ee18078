import Foundation
import Synchronization

/// A TCP relay in front of PostgreSQL that can go silent the way a dead network path does: after
/// `freeze(afterClientBytes:)` it forwards nothing more on the connections it holds — no reset, no
/// close, the bytes simply vanish — and new connections are accepted and never answered, until
/// `thaw()` (the connections it froze stay dead, as half-open ones do).
final class FreezingProxy: @unchecked Sendable {
    private(set) var port: UInt16 = 0
    private let target: UInt16
    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var frozen = false
        /// Client bytes still forwarded before the freeze takes hold; nil: no freeze pending.
        var budget: Int?
        var dead = Set<Int32>()
        var sockets: [Int32] = []
        var closed = false
    }

    init(to target: Int) throws {
        self.target = UInt16(target)
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 16) == 0 else { throw FeedTestError("the proxy cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptConnections() }.start()
    }

    /// Goes silent once `bytes` more bytes from clients have been forwarded.
    func freeze(afterClientBytes bytes: Int) {
        state.withLock { $0.budget = bytes }
    }

    /// Forwards new connections again.
    func thaw() {
        state.withLock { state in
            state.frozen = false
            state.budget = nil
        }
    }

    func close() {
        let sockets = state.withLock { state -> [Int32] in
            state.closed = true
            return state.sockets
        }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptConnections() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let (frozen, closed) = state.withLock { state in
                state.sockets.append(client)
                return (state.frozen, state.closed)
            }
            if closed { Glibc.close(client); return }
            // Frozen: the connection is accepted and never answered.
            if frozen {
                state.withLock { _ = $0.dead.insert(client) }
                Thread { [self] in relay(from: client, to: -1, counting: false, connection: client) }.start()
                continue
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { Glibc.close(client); Glibc.close(server); continue }
            state.withLock { $0.sockets.append(server) }
            Thread { [self] in relay(from: client, to: server, counting: true, connection: client) }.start()
            Thread { [self] in relay(from: server, to: client, counting: false, connection: client) }.start()
        }
    }

    /// Copies `source` to `destination` until either closes; a dead connection's bytes vanish.
    private func relay(from source: Int32, to destination: Int32, counting: Bool, connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress, $0.count) }
            guard read > 0 else {
                if destination >= 0 { shutdown(destination, Int32(SHUT_WR)) }
                return
            }
            // How much of this read still goes through.
            let forward = state.withLock { state -> Int in
                if state.dead.contains(connection) { return 0 }
                guard counting, let budget = state.budget else { return state.frozen ? 0 : read }
                let passed = min(budget, read)
                state.budget = budget - passed
                if passed < read {
                    state.frozen = true
                    state.budget = nil
                    state.dead.formUnion(state.sockets)
                }
                return passed
            }
            var sent = 0
            while sent < forward, destination >= 0 {
                let wrote = buffer.withUnsafeBytes { Glibc.write(destination, $0.baseAddress! + sent, forward - sent) }
                guard wrote > 0 else { return }
                sent += wrote
            }
        }
    }
}
