import Foundation
import Testing
import TestSupport

/// Starts `ledger` with `arguments` and kills it with SIGKILL after `delay` milliseconds (or lets
/// it finish first). Returns whether it finished by itself, and its stdout.
private func runAndKill(_ arguments: [String], afterMilliseconds delay: Int) throws -> (finished: Bool, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try ledgerExecutable())
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let collector = ChildOutputLines(output.fileHandleForReading)
    let deadline = Date(timeIntervalSinceNow: Double(delay) / 1000)
    while process.isRunning && Date() < deadline { usleep(1000) }
    let finished = !process.isRunning
    if !finished { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    _ = collector.waitForEnd(timeout: 10)
    return (finished && process.terminationStatus == 0, collector.all.joined(separator: "\n"))
}

/// The reports a store's views answer, after whatever catch-up the commands do by themselves.
private func reports(_ store: String) throws -> [String] {
    try [["report", "evaluations"], ["report", "gold-windows"], ["report", "processing-time"], ["case", "LZH-2023-000001"]]
        .map { command in
            let run = try runLedger(command + ["--store", store])
            return run.status == 0 ? run.output : "exit \(run.status): \(run.stderr)"
        }
}

/// The crash harness: a real `ledger` killed with SIGKILL at random moments of an import, a
/// demo and a rebuild. After each kill: the chain verifies (indexes included), an acknowledged
/// import is entirely there and an unacknowledged one entirely or not at all, a killed demo left
/// a prefix of the full demo's log (whole batches), and the views catch up to exactly what a
/// clean rebuild reports.
///
/// The test suite runs `CRASH_ROUNDS` rounds (default 6) from seed `CRASH_SEED` (default 12).
@Suite("Crash harness: ledger killed at random moments", .serialized)
struct CrashHarnessTests {
    @Test("after a kill -9 of import, demo or rebuild, nothing acknowledged is lost, nothing partial is kept, views catch up")
    func crashRounds() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["CRASH_ROUNDS"].flatMap(Int.init) ?? 6
        let seed = environment["CRASH_SEED"].flatMap(UInt64.init) ?? 12
        let pristine = try PristineStore.shared.get()
        let scratch = TemporaryDirectory("ledger-crash")
        let exportFile = scratch.appending("all.jsonl")
        let export = try runLedger(["export", "--store", pristine.directory])
        try export.stdout.write(to: URL(fileURLWithPath: exportFile))
        let pristineDigest = try runLedger(["digest", "--store", pristine.directory]).output.trimmingCharacters(in: .newlines)
        let pristineReports = try reports(pristine.directory)
        var generator = SeededGenerator(seed: seed)
        var tally: [String: Int] = [:]

        for round in 0 ..< rounds {
            let kind = ["import", "demo", "rebuild"][round % 3]
            // Up to about the command's own duration on a small store, so most rounds kill it mid-way.
            let delay = Int.random(in: 0 ... ["import": 1500, "demo": 900, "rebuild": 350][kind]!, using: &generator)
            let store = scratch.appending("round-\(round)")
            let context = "round \(round) (seed \(seed)): \(kind) killed after \(delay) ms"
            let killed: (finished: Bool, output: String)
            switch kind {
            case "import":
                killed = try runAndKill(["import", exportFile, "--store", store], afterMilliseconds: delay)
            case "demo":
                killed = try runAndKill(["demo", "--cases", "300", "--store", store], afterMilliseconds: delay)
            default:
                try FileManager.default.copyItem(atPath: pristine.directory, toPath: store)
                killed = try runAndKill(["project", "rebuild", "--all", "--store", store], afterMilliseconds: delay)
            }
            tally["\(kind) \(killed.finished ? "finished" : "killed")", default: 0] += 1
            guard FileManager.default.fileExists(atPath: store + "/events/data.mdb") else {
                // Killed before the store existed: nothing was acknowledged.
                #expect(!killed.finished, "\(context)")
                continue
            }
            let verify = try runLedger(["verify", "--store", store])
            #expect(verify.status == 0, "\(context): \(verify)")
            let digest = try runLedger(["digest", "--store", store]).output.trimmingCharacters(in: .newlines)
            switch kind {
            case "import":
                // One atomic append: all of the file or none of it; all of it once acknowledged.
                if killed.output.contains("imported") { #expect(digest == pristineDigest, "\(context)") }
                #expect(digest == pristineDigest || digest.hasPrefix("0:"), "\(context): a partial import \(digest)")
            case "demo":
                // The demo is deterministic: what was committed is a prefix of the full demo's log.
                let prefix = try runLedger(["verify", "--digest", digest, "--store", pristine.directory])
                #expect(prefix.status == 0, "\(context): \(digest) is not a prefix of the demo's log: \(prefix)")
            default:
                #expect(digest == pristineDigest, "\(context)")
            }
            // Views left by the killed process catch up to what a clean rebuild reports.
            let caughtUp = try reports(store)
            try? FileManager.default.removeItem(atPath: store + "/views")
            let clean = try reports(store)
            #expect(caughtUp == clean, "\(context): views caught up after the kill differ from a clean rebuild")
            if kind == "rebuild" { #expect(caughtUp == pristineReports, "\(context)") }
            let status = try runLedger(["project", "status", "--store", store])
            #expect(status.status == 0 && !status.output.contains("pending"), "\(context): \(status)")
            try? FileManager.default.removeItem(atPath: store)
        }
        print("crash harness: \(rounds) rounds from seed \(seed): \(tally.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: "; "))")
    }
}
