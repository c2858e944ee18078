import Synchronization

/// The seq the views have reached, published by the follower; requests wait on it (bounded) to
/// read their own writes.
public final class ViewProgress: Sendable {
    private struct State {
        var reached: UInt64 = 0
        var nextToken = 0
        var waiters: [Int: (seq: UInt64, continuation: CheckedContinuation<Void, Never>)] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    public var reached: UInt64 { state.withLock { $0.reached } }

    func publish(_ seq: UInt64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.reached = max(state.reached, seq)
            let due = state.waiters.filter { $0.value.seq <= state.reached }
            for key in due.keys { state.waiters.removeValue(forKey: key) }
            return due.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Wakes every waiter now (the server is shutting down).
    func wakeAll() {
        let all = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in all { continuation.resume() }
    }

    /// Returns the seq reached once it is at least `seq`, or after `timeout`, whichever is first.
    public func wait(until seq: UInt64, timeout: Duration) async -> UInt64 {
        if reached >= seq { return reached }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(until: seq) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return reached
    }

    private func wait(until seq: UInt64) async {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.reached >= seq || Task.isCancelled { return true }
                    state.waiters[token] = (seq, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: token) }
            waiter?.continuation.resume()
        }
    }
}
