import Foundation
import Testing
import TestSupport

/// The demo store with views behind its log: its export imported in two parts, the views
/// built after the first. Made once per test process.
final class LaggingStore: Sendable {
    static let shared = Result { try LaggingStore() }

    let directory: String
    /// Events after the views' checkpoint.
    let lag: Int
    /// A case whose events all came in the second part (the views have never seen it).
    let lateCase: String
    /// The log's head.
    let head: Int

    private init() throws {
        let lines = try PristineExport.shared.get().lines
        let firstPart = lines.count * 3 / 4
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-lagging-\(getpid())").path
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        directory = scratch + "/store"
        let early = Set(lines[..<firstPart].compactMap(caseOf))
        guard let late = lines[firstPart...].compactMap(caseOf).first(where: { !early.contains($0) && $0 != "CATALOG" }) else {
            throw HarnessError("no case starts in the last quarter of the demo's export")
        }
        lateCase = late
        lag = lines.count - firstPart
        head = lines.count
        for (name, part) in [("first", lines[..<firstPart]), ("second", lines[firstPart...])] {
            let file = scratch + "/\(name).jsonl"
            try Data((part.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
            let run = try runLedger(["import", file, "--store", directory])
            guard run.status == 0 else { throw HarnessError("import of the \(name) part failed: \(run)") }
            if name == "first" {
                // The views, built to the end of the first part.
                let built = try runLedger(["report", "evaluations", "--store", directory])
                guard built.status == 0 else { throw HarnessError("building the views failed: \(built)") }
            }
        }
    }

    /// A writable copy, for the answers a store that can catch up gives.
    func copy() throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-lagging-copy-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.copyItem(atPath: directory, toPath: target)
        return target
    }
}

/// The pristine store's export, one event a line (it imports into an empty store hash for hash,
/// so importing its parts one after another builds the same log).
final class PristineExport: Sendable {
    static let shared = Result { try PristineExport() }
    let lines: [String]

    private init() throws {
        let export = try runLedger(["export", "--store", try PristineStore.shared.get().directory])
        guard export.status == 0 else { throw HarnessError("export failed: \(export)") }
        lines = export.output.split(separator: "\n").map(String.init)
    }

    /// Writes `lines[range]` to a file in `folder`; returns its path.
    func file(_ range: Range<Int>, in folder: String, name: String) throws -> String {
        let path = folder + "/" + name
        try Data((lines[range].joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

private func caseOf(_ line: String) -> String? {
    guard let range = line.range(of: #""case":""#) else { return nil }
    let rest = line[range.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
}

/// The read commands whose answers come from the views, or from the log alone.
private func readCommands(_ caseNumber: String, late: String) -> [[String]] {
    everyCommand(caseNumber: caseNumber).filter { $0 != ["project", "status"] }
        + [["case", late], ["case", late, "--format", "json", "--today", "2023-12-29"]]
}

@Suite("A store that cannot be written, on a read-only mount", .serialized, .enabled(if: ScratchMount.allowed))
struct ReadOnlyStoreTests {
    @Test("views behind the log on a read-only mount: every read command answers as a writable store does, and says it folded the lag in memory (before: Read-only file system)")
    func lagFoldedOnReadOnlyMount() throws {
        let lagging = try LaggingStore.shared.get()
        let pristine = try PristineStore.shared.get()
        let mount = try ScratchMount(megabytes: 96)
        let store = mount.path + "/store"
        try FileManager.default.copyItem(atPath: lagging.directory, toPath: store)
        try mount.remount(readOnly: true)
        let writable = try lagging.copy()
        defer { try? FileManager.default.removeItem(atPath: writable) }

        // Opens nothing for writing, and shows how far behind the views are.
        let status = try runLedger(["project", "status", "--store", store])
        #expect(status.status == 0, "\(status)")
        #expect(status.output.split(separator: "\n").dropFirst(2).allSatisfy { $0.contains(" \(lagging.lag) ") }, "\(status.output)")

        for command in readCommands(pristine.caseNumber, late: lagging.lateCase) {
            let expected = try runLedger(command + ["--store", writable])
            let run = try runLedger(command + ["--store", store])
            #expect(run.status == 0 && !run.signalled, "\(run)")
            #expect(run.output == expected.output, "\(command): the read-only answer differs from the writable store's")
            if ["case", "report", "queue", "due", "overdue"].contains(command[0]) {
                #expect(run.stderr.contains("\(lagging.lag) events behind the log") && run.stderr.contains("in memory"), "\(run)")
            }
        }
        // The late case, never seen by the views on disk, is answered.
        let late = try runLedger(["case", lagging.lateCase, "--store", store])
        #expect(late.status == 0 && late.output.contains(lagging.lateCase), "\(late)")
        // Writing commands fail in one line.
        expectOneLineFailure(try runLedger(["project", "rebuild", "--all", "--store", store]))
        expectOneLineFailure(try runLedger(["demo", "--cases", "5", "--replace", "--store", store]))
    }

    @Test("caught-up views on a read-only mount are read in place, read-only")
    func caughtUpReadInPlace() throws {
        let pristine = try PristineStore.shared.get()
        let mount = try ScratchMount(megabytes: 96)
        let store = mount.path + "/store"
        try FileManager.default.copyItem(atPath: pristine.directory, toPath: store)
        // The views hold the whole log before the mount turns read-only.
        #expect(try runLedger(["report", "evaluations", "--store", store]).status == 0)
        try mount.remount(readOnly: true)
        for command in [["case", pristine.caseNumber], ["report", "gold-windows"], ["queue", "--window", "W01"]] {
            let run = try runLedger(command + ["--store", store])
            #expect(run.status == 0, "\(run)")
            #expect(run.output == (try runLedger(command + ["--store", pristine.directory])).output, "\(command)")
            #expect(run.stderr.contains("answering from them read-only"), "\(run)")
        }
        let status = try runLedger(["project", "status", "--store", store])
        #expect(status.status == 0 && status.output.split(separator: "\n").dropFirst(2).allSatisfy { $0.contains(" 0 ") }, "\(status)")
    }

    @Test("no views on a read-only mount: the whole log is folded in memory (before: an NSCocoaErrorDomain dump)")
    func missingViewsOnReadOnlyMount() throws {
        let pristine = try PristineStore.shared.get()
        let mount = try ScratchMount(megabytes: 96)
        let store = mount.path + "/store"
        try FileManager.default.copyItem(atPath: pristine.directory, toPath: store)
        try FileManager.default.removeItem(atPath: store + "/views")
        try mount.remount(readOnly: true)
        let run = try runLedger(["report", "evaluations", "--store", store])
        #expect(run.status == 0, "\(run)")
        #expect(run.output == (try runLedger(["report", "evaluations", "--store", pristine.directory])).output)
        #expect(run.stderr.contains("folded the whole log"), "\(run)")
        let status = try runLedger(["project", "status", "--store", store])
        #expect(status.status == 0 && status.output.contains("not built yet"), "\(status)")
    }

    @Test("ledger serve on a read-only mount answers for the whole log, the lag folded, and refuses appends with 503")
    func serveReadOnly() throws {
        let lagging = try LaggingStore.shared.get()
        let mount = try ScratchMount(megabytes: 96)
        let store = mount.path + "/store"
        try FileManager.default.copyItem(atPath: lagging.directory, toPath: store)
        try mount.remount(readOnly: true)
        let writable = try lagging.copy()
        defer { try? FileManager.default.removeItem(atPath: writable) }
        let tokens = writable + "-tokens.json"
        defer { try? FileManager.default.removeItem(atPath: tokens) }
        let added = try runLedger(["token", "add", "--tokens", tokens, "--role", "manager", "--name", "manager-1"])
        let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(added.status == 0 && !token.isEmpty, "\(added)")

        let server = try HallProcess(store: store, tokens: tokens)
        defer { server.stop() }
        let answer = try curl(server.url("/cases/\(lagging.lateCase)"), token: token)
        #expect(answer.status == 200, "\(answer)")
        let expected = try runLedger(["case", lagging.lateCase, "--format", "json", "--today", "2023-12-29", "--store", writable])
        // The server's answer holds the case's JSON as the CLI writes it, at the log's head.
        #expect(answer.body.contains(#"{"case":"# + expected.output.trimmingCharacters(in: .whitespacesAndNewlines) + ","),
                "\(answer.body) vs \(expected.output)")
        #expect(answer.body.contains(#""checkpoint":\#(lagging.head)"#), "\(answer.body)")
        let submitted = #"{"type":"submitted","at":"2023-12-28T09:00:00+08:00","data":{"item":"LZH-Q-0001","channel":"window","applicant":{"kind":"person","ref":"P-9"}}}"#
        let refused = try curl(server.url("/cases/RO-NEW-1/events"), token: token, post: submitted)
        #expect(refused.status == 503 && refused.body.contains("read_only"), "\(refused)")
        let stderr = server.stop()
        #expect(stderr.contains("serving it read-only") && stderr.contains("in memory"), "\(stderr)")
    }
}

/// A `ledger serve` child on a free port, its stderr in a file.
final class HallProcess: @unchecked Sendable {
    private(set) var process = Process()
    private(set) var port = 0
    private let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-serve-\(UUID().uuidString.prefix(8))").path

    /// `program`: the words that start `ledger` instead of the built executable (see `runLedger`).
    /// A port taken between choosing it and binding it (the long server crash harness met one)
    /// is given up for another, up to five times.
    init(store: String, tokens: String, program: [String]? = nil, environment: [String: String]? = nil) throws {
        var lastError = ""
        for _ in 0 ..< 5 {
            port = try freeLoopbackPort()
            process = Process()
            let command = (try program ?? [ledgerExecutable()])
                + ["serve", "--store", store, "--tokens", tokens, "--port", "\(port)", "--today", "2023-12-29"]
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            if let environment { process.environment = environment }
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            try process.run()
            for _ in 0 ..< 300 {
                // Ours answers only while it runs: a 200 after it exited came from another process.
                if try curl(url("/healthz")).status == 200, process.isRunning { return }
                guard process.isRunning else { break }
                usleep(100_000)
            }
            lastError = stop()
            guard lastError.contains("Address already in use") else { break }
        }
        throw HarnessError("ledger serve did not answer: \(lastError)")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops it (SIGTERM) and returns what it wrote on stderr.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        return String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
    }
}

/// One request with curl: the status and the body (status 0: no answer).
func curl(_ url: String, token: String? = nil, post body: String? = nil) throws -> (status: Int, body: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    var arguments = ["-s", "-m", "10", "-w", "\n%{http_code}"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
    process.arguments = arguments + [url]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.lastIndex(of: "\n") else { return (Int(text) ?? 0, "") }
    return (Int(text[text.index(after: split)...]) ?? 0, String(text[..<split]))
}
