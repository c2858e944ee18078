import Foundation

/// Collects a child process's output lines on a thread of its own, for tests that read what a
/// child acknowledged before they kill it.
public final class ChildOutputLines: @unchecked Sendable {
    private let condition = NSCondition()
    private var complete: [String] = []
    private var closed = false

    public init(_ handle: FileHandle) {
        Thread { [self] in
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty {
                    closed = true
                } else {
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        complete.append(String(decoding: buffer[buffer.startIndex ..< newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex ... newline)
                    }
                }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// The complete lines so far.
    public var all: [String] { condition.withLock { complete } }

    /// Waits until `predicate` holds for the lines so far, or the output ends, or `timeout` passes.
    @discardableResult
    public func wait(timeout: TimeInterval, until predicate: ([String]) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(complete) && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return predicate(complete)
    }

    /// Waits for the end of the output (the child is dead and the pipe drained); false on timeout.
    public func waitForEnd(timeout: TimeInterval) -> Bool {
        wait(timeout: timeout) { _ in false }
        return condition.withLock { closed }
    }
}
