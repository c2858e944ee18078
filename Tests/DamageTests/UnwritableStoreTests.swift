import Foundation
import Testing
import TestSupport

/// A store whose files and folders another user owns and this one cannot write (files 0444,
/// folders 0555), its views behind its log; beside it a writable copy for the answers a store
/// that can catch up gives, and a file of the events the store lacks.
private struct UnwritableStore {
    let scratch: TemporaryDirectory
    let store: String
    let writable: String
    /// The events after the log's head, in a file every user can read.
    let missingEvents: String
    /// Events in the log after the views' checkpoint.
    let lag: Int
    let head: Int
    /// A case the views on disk have never seen.
    let lateCase: String

    init() throws {
        let lines = try PristineExport.shared.get().lines
        let viewsAt = lines.count * 5 / 8, headAt = lines.count * 7 / 8
        scratch = TemporaryDirectory("ledger-unwritable")
        chmod(scratch.path, 0o755)
        store = scratch.appending("store")
        let export = try PristineExport.shared.get()
        let early = try export.file(0 ..< viewsAt, in: scratch.path, name: "early.jsonl")
        let late = try export.file(viewsAt ..< headAt, in: scratch.path, name: "late.jsonl")
        missingEvents = try export.file(headAt ..< lines.count, in: scratch.path, name: "missing.jsonl")
        chmod(missingEvents, 0o644)
        for (file, buildViews) in [(early, true), (late, false)] {
            let run = try runLedger(["import", file, "--store", store])
            guard run.status == 0 else { throw HarnessError("import of \(file) failed: \(run)") }
            if buildViews {
                let built = try runLedger(["report", "evaluations", "--store", store])
                guard built.status == 0 else { throw HarnessError("building the views failed: \(built)") }
            }
        }
        let seenByViews = Set(lines[..<viewsAt].compactMap(caseNumber(in:)))
        guard let unseen = lines[viewsAt ..< headAt].compactMap(caseNumber(in:)).first(where: { !seenByViews.contains($0) && $0 != "CATALOG" }) else {
            throw HarnessError("no case starts between the views' checkpoint and the head")
        }
        lateCase = unseen
        lag = headAt - viewsAt
        head = headAt
        writable = scratch.appending("writable")
        try FileManager.default.copyItem(atPath: store, toPath: writable)
        try Unprivileged.makeUnwritable(store)
    }
}

private func caseNumber(in line: String) -> String? {
    guard let range = line.range(of: #""case":""#) else { return nil }
    let rest = line[range.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
}

@Suite("A store this user cannot write: the real ledger run as an unprivileged user on files it may not write",
       .serialized, .enabled(if: Unprivileged.available))
struct UnwritableStoreTests {
    @Test("reads answer from what is there and say the views' lag; import, project rebuild and demo fail in one line naming the path and saying permission denied; nothing in the store changes (before: every command failed, Permission denied opening lock.mdb)")
    func commandsAsAnotherUser() throws {
        let user = try Unprivileged.onThisMachine.get()
        let fixture = try UnwritableStore()
        defer { Unprivileged.makeRemovable(fixture.store) }
        let (program, environment) = try user.ledger(copiedInto: fixture.scratch.appending("program"))
        let before = try listingWithHashes(fixture.store)
        let pristine = try PristineStore.shared.get()

        let status = try runLedger(["project", "status", "--store", fixture.store], environment: environment, program: program)
        #expect(status.status == 0, "as \(user.user): \(status)")
        let viewLines = status.output.split(separator: "\n").dropFirst(2)
        #expect(!viewLines.isEmpty && viewLines.allSatisfy { $0.contains(" \(fixture.lag) ") }, "\(status.output)")

        let reads = everyCommand(caseNumber: pristine.caseNumber).filter { $0 != ["project", "status"] }
            + [["case", fixture.lateCase], ["case", fixture.lateCase, "--format", "json", "--today", "2023-12-29"]]
        for command in reads {
            let run = try runLedger(command + ["--store", fixture.store], environment: environment, program: program)
            let expected = try runLedger(command + ["--store", fixture.writable])
            #expect(run.status == 0 && !run.signalled, "as \(user.user): \(run)")
            #expect(run.output == expected.output, "\(command): the answer as \(user.user) differs from the writable store's")
            if ["case", "report", "queue", "due", "overdue"].contains(command[0]) {
                #expect(run.stderr.contains("\(fixture.lag) events behind the log") && run.stderr.contains("in memory"), "\(run)")
            }
        }
        let late = try runLedger(["case", fixture.lateCase, "--store", fixture.store], environment: environment, program: program)
        #expect(late.status == 0 && late.output.contains(fixture.lateCase), "\(late)")

        // Writing commands, on the store and (those that create one) on a new store inside it.
        let writes = [(["import", fixture.missingEvents], true), (["project", "rebuild", "--all"], false),
                      (["demo", "--cases", "5", "--replace"], true)]
        for (command, creates) in writes {
            for store in [fixture.store] + (creates ? [fixture.store + "/new"] : []) {
                let run = try runLedger(command + ["--store", store], environment: environment, program: program)
                expectOneLineFailure(run, mentioning: [store, "Permission denied"])
            }
        }
        // An occupied store is refused before anything is tried, for any user.
        expectOneLineFailure(try runLedger(["demo", "--cases", "5", "--store", fixture.store], environment: environment, program: program),
                             mentioning: ["already holds \(fixture.head) events"])
        #expect(try listingWithHashes(fixture.store) == before, "the store changed under a user who cannot write it")
    }

    @Test("ledger serve as that user: reads answer for the whole log, an append is refused with 503 read_only, nothing in the store changes")
    func serveAsAnotherUser() throws {
        let user = try Unprivileged.onThisMachine.get()
        let fixture = try UnwritableStore()
        defer { Unprivileged.makeRemovable(fixture.store) }
        let (program, environment) = try user.ledger(copiedInto: fixture.scratch.appending("program"))
        let before = try listingWithHashes(fixture.store)
        // The server's tokens file is its user's own (mode 600, as `ledger serve` requires).
        let tokens = fixture.scratch.appending("tokens.json")
        let added = try runLedger(["token", "add", "--tokens", tokens, "--role", "manager", "--name", "manager-1"])
        let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(added.status == 0 && !token.isEmpty, "\(added)")
        try #require(chown(tokens, user.uid, user.gid) == 0, "chown \(tokens)")

        let server = try HallProcess(store: fixture.store, tokens: tokens, program: program, environment: environment)
        defer { server.stop() }
        let answer = try curl(server.url("/cases/\(fixture.lateCase)"), token: token)
        #expect(answer.status == 200, "\(answer)")
        let expected = try runLedger(["case", fixture.lateCase, "--format", "json", "--today", "2023-12-29", "--store", fixture.writable])
        #expect(answer.body.contains(#"{"case":"# + expected.output.trimmingCharacters(in: .whitespacesAndNewlines) + ","),
                "\(answer.body) vs \(expected.output)")
        #expect(answer.body.contains(#""checkpoint":\#(fixture.head)"#), "\(answer.body)")
        let submitted = #"{"type":"submitted","at":"2023-12-28T09:00:00+08:00","data":{"item":"LZH-Q-0001","channel":"window","applicant":{"kind":"person","ref":"P-9"}}}"#
        let refused = try curl(server.url("/cases/UNWRITABLE-1/events"), token: token, post: submitted)
        #expect(refused.status == 503 && refused.body.contains("read_only"), "\(refused)")
        let stderr = server.stop()
        #expect(stderr.contains("serving it read-only") && stderr.contains("in memory"), "as \(user.user): \(stderr)")
        #expect(try listingWithHashes(fixture.store) == before, "the store changed under a server that cannot write it")
    }
}
