import PostgresNIO
import Synchronization

extension PostgresConnection {
    /// Runs `operation`, failing with `FeedError.connectionLost` as soon as the connection closes.
    /// postgres-nio can leave a COPY awaiting forever when the server goes away mid-batch (an
    /// immediate shutdown); the feed must then end, or reconnect, instead of hanging.
    func failingWhenClosed<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = ResumeOnce(continuation)
            let task = Task {
                do { outcome.resume(.success(try await operation())) } catch { outcome.resume(.failure(error)) }
            }
            closeFuture.whenComplete { _ in
                outcome.resume(.failure(FeedError.connectionLost))
                task.cancel()
            }
        }
    }
}

/// Resumes a continuation once: with whichever of the operation and the connection's close comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>
    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }
    func resume(_ result: Result<T, any Error>) {
        let pending = continuation.withLock { value -> CheckedContinuation<T, any Error>? in
            defer { value = nil }
            return value
        }
        pending?.resume(with: result)
    }
}
