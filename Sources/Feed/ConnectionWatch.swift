import PostgresNIO
import Synchronization

extension PostgresConnection {
    /// Runs `operation` — everything the feed does on this connection — and fails with
    /// `FeedError.connectionLost` as soon as the connection closes (`FeedError.stalled` when
    /// `watch` closed it: PostgreSQL did not answer in time).
    ///
    /// postgres-nio 1.33.2 can leave an await on a connection that went away unanswered for ever:
    /// a query written after the channel closed and dropped its handlers has its promise dropped
    /// with the write (`channel.write(…, promise: nil)`), and a COPY that waits for the socket to
    /// drain loses that wait when the server dies. The feed must then end, or reconnect, instead
    /// of hanging; the operation is abandoned (its transaction died with the connection), not
    /// cancelled, since cancelling a COPY on a closed connection reaches a precondition in
    /// postgres-nio. Cancelling the caller does cancel the operation.
    func failingWhenClosed<T: Sendable>(watch: StallWatch? = nil,
                                        _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        let task = Task {
            do { outcome.resume(.success(try await operation())) } catch { outcome.resume(.failure(error)) }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.deliver(to: continuation)
                closeFuture.whenComplete { _ in
                    let stalled = watch.map { $0.stalled ? FeedError.stalled(seconds: $0.timeout.components.seconds) : nil } ?? nil
                    outcome.resume(.failure(stalled ?? FeedError.connectionLost))
                }
            }
        } onCancel: {
            task.cancel()
        }
    }
}

/// The first of the operation's result and the connection's close, for the one waiting.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<T, any Error>?)
        case done(Result<T, any Error>)
    }
    private let state = Mutex<State>(.waiting(nil))

    func deliver(to continuation: CheckedContinuation<T, any Error>) {
        let result = state.withLock { state -> Result<T, any Error>? in
            switch state {
            case .waiting: state = .waiting(continuation); return nil
            case .done(let result): return result
            }
        }
        if let result { continuation.resume(with: result) }
    }

    func resume(_ result: Result<T, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<T, any Error>?? in
            guard case .waiting(let continuation) = state else { return .none }
            state = .done(result)
            return .some(continuation)
        }
        if case .some(.some(let continuation)) = waiting { continuation.resume(with: result) }
    }
}
