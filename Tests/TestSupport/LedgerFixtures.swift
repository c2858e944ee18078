import Foundation
import Ledger

/// An `EventStore` in a fresh temporary directory. The directory is removed when the value is
/// released. Keep the value alive for as long as the store is used.
public final class TemporaryEventStore: Sendable {
    public let directory: TemporaryDirectory
    public let store: EventStore

    /// - Parameter durable: fsync every commit (the production setting). Tests that do not
    ///   kill processes may turn it off to spare the disk.
    /// - Parameter initialMapSize: the map's first size; a small one makes the writer grow it.
    public init(_ label: String = "ledger-store", durable: Bool = true, initialMapSize: Int = 16 << 20) throws {
        directory = TemporaryDirectory(label)
        store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(),
                               options: .init(initialMapSize: initialMapSize, durable: durable))
    }

    public var path: String { directory.path }
}

/// The codec of the store's own tests, which know no domain: type codes 1…100 exist and any
/// payload of theirs is readable. Code 0 and codes above 100 are refused.
public struct OpaqueTestCodec: EventCodec {
    public init() {}
    public func check(type: EventTypeCode, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        guard (1 ... 100).contains(type.rawValue) else { throw ByteDecodingError("unknown event \(type)") }
    }
    public func name(of type: EventTypeCode) -> String? { (1 ... 100).contains(type.rawValue) ? "t\(type.rawValue)" : nil }
}

/// Deterministic test data for the ledger.
public enum LedgerFixture {
    /// The type code the fixtures' events carry unless told otherwise.
    public static let defaultType = EventTypeCode(12)

    /// A stream id that must be valid.
    public static func stream(_ raw: String) -> StreamID {
        do { return try StreamID(raw) } catch { fatalError("invalid fixture stream id \(raw): \(error)") }
    }

    /// An event whose content is derived from `n` (time, payload), with a fresh id unless given.
    public static func event(_ n: Int = 0, id: UUID = UUID(), type: EventTypeCode = defaultType,
                             actor: String = "clerk-01", payloadSize: Int = 24) -> NewEvent {
        NewEvent(id: id, type: type, at: Timestamp(milliseconds: 1_700_000_000_000 + Int64(n) * 1000),
                 actor: actor, payload: payload(n, size: payloadSize))
    }

    /// A deterministic event id for `n` (tests that compare two stores need the same ids).
    public static func id(_ n: Int) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: UInt64(n).bigEndian) { for i in 0 ..< 8 { bytes[8 + i] = $0[i] } }
        bytes[6] = 0x40 // version 4, variant 1: a well-formed UUID
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// `count` events numbered from `first`.
    public static func events(_ count: Int, first: Int = 0) -> [NewEvent] {
        (0 ..< count).map { event(first + $0) }
    }

    /// Payload bytes that differ for every `n`.
    public static func payload(_ n: Int, size: Int = 24) -> [UInt8] {
        (0 ..< size).map { UInt8(truncatingIfNeeded: n &* 31 &+ $0) }
    }
}

/// A small seeded generator (SplitMix64), so "random" choices in tests repeat run after run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thrown by `withTimeout` when the operation did not finish in time.
public struct TimeoutError: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "timed out after \(seconds) s" }
}

/// Runs `operation`, cancelling it and throwing `TimeoutError` if it takes longer than `seconds`.
/// Guards tests that wait for something (a subscription, a child process) against hanging: it
/// returns at the deadline even when the operation ignores cancellation.
public func withTimeout<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = FirstOutcome<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.install(continuation)
        let work = Task {
            do { outcome.resolve(.success(try await operation())) } catch { outcome.resolve(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            work.cancel()
            outcome.resolve(.failure(TimeoutError(seconds: seconds)))
        }
    }
}

/// Resumes a continuation with whichever result comes first.
private final class FirstOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func resolve(_ result: Result<T, any Error>) {
        lock.lock()
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(with: result)
    }
}
