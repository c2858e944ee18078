import Foundation
import Synchronization
import TestSupport

/// A `ledger` run in a child process that a test can watch, signal and wait for — never forever:
/// every wait has a deadline, after which the child is killed and the test fails with what the
/// child printed. Waiting sleeps the task instead of blocking a thread, so a child that needs the
/// test's own async work (a database query) to progress cannot starve it.
final class LedgerChild: @unchecked Sendable {
    let commandLine: String
    let pid: Int32
    let stdout: ChildOutputLines
    let stderr: ChildOutputLines
    private let process = Process()
    private let exited = Flag()

    init(_ arguments: [String], executable: String? = nil) throws {
        let path = try executable ?? ledgerBinary()
        commandLine = ([URL(fileURLWithPath: path).lastPathComponent] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.terminationHandler = { [exited] _ in exited.set() }
        try process.run()
        pid = process.processIdentifier
        stdout = ChildOutputLines(out.fileHandleForReading)
        stderr = ChildOutputLines(err.fileHandleForReading)
    }

    var isRunning: Bool { !exited.isSet }

    func send(_ signal: Int32) { if isRunning { kill(pid, signal) } }

    /// How the child ended.
    struct Exit: Sendable, CustomStringConvertible {
        let status: Int32
        let bySignal: Bool
        let stdout: String
        let stderr: String
        var succeeded: Bool { !bySignal && status == 0 }
        var description: String { "\(bySignal ? "killed by signal" : "exit") \(status)\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))" }
    }

    /// Waits for the child to end by itself; after `seconds` it is killed and this throws.
    func exit(within seconds: Double) async throws -> Exit {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        if isRunning {
            kill(pid, SIGKILL)
            _ = try? await exit(afterKill: ())
            throw FeedTestError("`\(commandLine)` did not finish within \(Int(seconds)) s, so it was killed; stderr: \(stderr.all.joined(separator: "\n").suffix(2000))")
        }
        return try await drained()
    }

    /// Sends the child `signal` and waits (up to 20 s) for it to end.
    func end(with signal: Int32) async throws -> Exit {
        send(signal)
        return try await exit(within: 20)
    }

    private func exit(afterKill: Void) async throws -> Exit {
        let deadline = ContinuousClock.now + .seconds(10)
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        return try await drained()
    }

    /// The exit, once both pipes are at their end (a grandchild holding them open is a failure too).
    private func drained() async throws -> Exit {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(stdout.waitForEnd(timeout: 0) && stderr.waitForEnd(timeout: 0)) {
            guard ContinuousClock.now < deadline else {
                throw FeedTestError("`\(commandLine)` ended but its output stayed open for 10 s")
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return Exit(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal,
                    stdout: stdout.all.joined(separator: "\n"), stderr: stderr.all.joined(separator: "\n"))
    }
}

/// Runs `body` with a deadline: a database call that never returns fails the test with `what`
/// instead of hanging it (the call is abandoned, not awaited).
func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        let work = Task {
            do { outcome.resume(.success(try await body())) } catch { outcome.resume(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            outcome.resume(.failure(FeedTestError("\(what) did not finish within \(Int(seconds)) s")))
            work.cancel()
        }
    }
}

/// Resumes a continuation with the first of several outcomes.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>
    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }
    func resume(_ result: Result<T, any Error>) {
        continuation.withLock { pending in
            pending?.resume(with: result)
            pending = nil
        }
    }
}

/// A flag one thread sets and others read.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
