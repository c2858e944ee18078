import Foundation
import Testing
import TestSupport

/// What one run of the `ledger` binary left behind.
struct LedgerRun: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    /// The non-empty lines of stdout.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// The non-empty lines of stderr.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    var description: String { "ledger \(arguments.joined(separator: " ")) → exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr)" }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `ledger` executable, built beside this test binary (the test target depends on it).
let ledgerExecutable: Result<String, CLITestError> = {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
        return .failure(CLITestError("cannot read /proc/self/exe"))
    }
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // Test bundles may sit one or more levels below the products folder.
    for _ in 0 ..< 4 {
        let path = folder.appendingPathComponent("ledger").path
        if FileManager.default.isExecutableFile(atPath: path) { return .success(path) }
        folder.deleteLastPathComponent()
    }
    return .failure(CLITestError("ledger not found next to \(exe); build with `swift build --build-tests`"))
}()

/// Runs `ledger arguments` as a user would: a child process in a scratch working directory (so
/// no default `./ledger-data` or `./seeds` of the checkout is used), stdin empty, stdout and
/// stderr collected. A run that takes over two minutes is killed.
func ledger(_ arguments: [String], stdin: String? = nil) throws -> LedgerRun {
    let executable = try ledgerExecutable.get()
    let scratch = TemporaryDirectory("ledger-cli-run")
    let outPath = scratch.appending("stdout"), errPath = scratch.appending("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    defer { try? out.close(); try? err.close() }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
    var environment = ProcessInfo.processInfo.environment
    environment["LEDGER_SEEDS"] = nil
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let pid = process.processIdentifier
    DispatchQueue.global().asyncAfter(deadline: .now() + 120) { kill(pid, SIGKILL) }
    process.waitUntilExit()
    return LedgerRun(arguments: arguments, status: process.terminationStatus,
                     stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                     stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
}

/// Runs `ledger arguments` and requires exit status 0 with nothing on stderr.
@discardableResult
func ledgerSucceeds(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> LedgerRun {
    let run = try ledger(arguments)
    #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
    #expect(run.stderr.isEmpty, "\(run)", sourceLocation: sourceLocation)
    return run
}

/// A mistake of the user: exit status 1, exactly one line on stderr that contains `fragment`
/// (no stack dump, no Foundation error domain), nothing on stdout.
func expectOneLineError(_ run: LedgerRun, containing fragment: String, status: Int32 = 1,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == status, "\(run)", sourceLocation: sourceLocation)
    #expect(run.errorLines.count == 1, "\(run)", sourceLocation: sourceLocation)
    #expect(run.stderr.hasSuffix("\n"), "\(run)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(fragment), "\(run)", sourceLocation: sourceLocation)
    expectNoInternals(run, sourceLocation: sourceLocation)
    #expect(run.stdout.isEmpty, "\(run)", sourceLocation: sourceLocation)
}

/// Bad arguments, caught while parsing: exit status 64, the error on the first line of stderr,
/// then only ArgumentParser's help for the option and usage hint; nothing on stdout.
func expectUsageError(_ run: LedgerRun, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == 64, "\(run)", sourceLocation: sourceLocation)
    #expect(run.errorLines.first?.hasPrefix("Error: ") == true, "\(run)", sourceLocation: sourceLocation)
    #expect(run.errorLines.first?.contains(fragment) == true, "\(run)", sourceLocation: sourceLocation)
    #expect(run.errorLines.count == 1, "a usage error is one line: \(run)", sourceLocation: sourceLocation)
    expectNoInternals(run, sourceLocation: sourceLocation)
    #expect(run.stdout.isEmpty, "\(run)", sourceLocation: sourceLocation)
}

private func expectNoInternals(_ run: LedgerRun, sourceLocation: SourceLocation) {
    for marker in ["NSCocoaErrorDomain", "Error Domain=", "Fatal error", "Stack dump", "LMDBError", "0x"] {
        #expect(!run.stderr.contains(marker), "\(run)", sourceLocation: sourceLocation)
    }
}

/// The chain head the store's `ledger digest` prints.
func digest(of store: String) throws -> String {
    let run = try ledgerSucceeds(["digest", "--store", store])
    return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// One JSON value parsed by Foundation (the test's check that the CLI printed valid JSON).
func parseJSON(_ text: some StringProtocol) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
