import Foundation
import Testing

/// The `ledger` executable built beside this test binary (`swift build --build-tests`).
func ledgerExecutable() throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // Test bundles may sit one or more levels below the products folder.
    for _ in 0 ..< 4 {
        let path = folder.appendingPathComponent("ledger").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        folder = folder.deletingLastPathComponent()
    }
    throw HarnessError("the ledger executable was not found next to \(exe); build with `swift build --build-tests`")
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How one run of `ledger` ended, with everything it wrote.
struct LedgerRun: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    /// True when the process ended by a signal (`status` is then the signal).
    var signalled: Bool
    var stdout: Data
    var stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
    var output: String { String(decoding: stdout, as: UTF8.self) }

    var description: String {
        "ledger \(arguments.joined(separator: " ")) → \(signalled ? "signal" : "exit") \(status); stderr: \(stderr.prefix(400))"
    }
}

/// Runs `ledger` with `arguments`; stdout and stderr go to files (no pipe can fill up), the
/// process is killed after `timeout` seconds. `program`: the words that start `ledger` instead of
/// the built executable (for another user: a launcher and a copy of it, see `Unprivileged`).
func runLedger(_ arguments: [String], stdout: FileHandle? = nil, environment: [String: String]? = nil,
               timeout: TimeInterval = 120, program: [String]? = nil) throws -> LedgerRun {
    let process = Process()
    let command = (try program ?? [ledgerExecutable()]) + arguments
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    if let environment { process.environment = environment }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("out").path
    let errPath = scratch.appendingPathComponent("err").path
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = stdout ?? out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date(timeIntervalSinceNow: timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw HarnessError("ledger \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
    }
    try out.close()
    try err.close()
    return LedgerRun(arguments: arguments, status: process.terminationStatus,
                     signalled: process.terminationReason == .uncaughtSignal,
                     stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
                     stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
}

/// A simulated district (a small demo year) made once per test process, to copy and damage.
final class PristineStore: Sendable {
    static let shared = Result { try PristineStore() }

    let directory: String
    /// A case that exists in the demo, with events of several types.
    let caseNumber = "LZH-2023-000001"

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-pristine-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        let run = try runLedger(["demo", "--cases", "300", "--store", directory])
        guard run.status == 0, !run.signalled else { throw HarnessError("the demo store could not be made: \(run)") }
    }

    /// A fresh copy of the store (events and views) at a new temporary path.
    func copy(_ label: String) throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.copyItem(atPath: directory, toPath: target)
        return target
    }
}

/// Every command of the CLI, as run on a store by the harnesses (the store path is appended).
func everyCommand(caseNumber: String) -> [[String]] {
    [
        ["verify"], ["digest"], ["stats"], ["export"], ["history", caseNumber], ["history", caseNumber, "--json"],
        ["case", caseNumber], ["queue", "--window", "W01"], ["due", "--within", "2"], ["overdue"],
        ["report", "processing-time"], ["report", "convenience"], ["report", "evaluations"], ["report", "gold-windows"],
        ["project", "status"],
    ]
}
