import Dispatch
import Foundation

/// A value computed away from the calling thread and waited for: the tree's hashing beside the
/// writer, each part of `verify`, and each chunk of a large batch's encoding. It is written once by
/// the worker and read only after `wait()` has seen the signal.
final class PendingResult<Value>: @unchecked Sendable {
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    /// A value some worker will `fulfil` later.
    init() {}

    /// Computes `work` on a thread of its own (long work: a pass over the log).
    static func onThread(named name: String, _ work: @escaping @Sendable () -> Value) -> PendingResult {
        let pending = PendingResult()
        let thread = Thread { pending.fulfil(work()) }
        thread.name = name
        thread.start()
        return pending
    }

    /// Computes `work` on a global queue (short work: one chunk of records).
    static func onGlobalQueue(_ work: @escaping @Sendable () -> Value) -> PendingResult {
        let pending = PendingResult()
        DispatchQueue.global(qos: .userInitiated).async { pending.fulfil(work()) }
        return pending
    }

    /// Gives the value to whoever waits; call it once.
    func fulfil(_ value: Value) {
        self.value = value
        done.signal()
    }

    /// A value already at hand.
    static func ready(_ value: Value) -> PendingResult {
        let pending = PendingResult()
        pending.fulfil(value)
        return pending
    }

    /// The value, once computed.
    func wait() -> Value {
        done.wait()
        done.signal()  // a second wait returns at once
        return value!
    }
}
