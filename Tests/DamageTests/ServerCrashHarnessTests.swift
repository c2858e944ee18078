import Foundation
import Synchronization
import Testing
import TestSupport

/// The body of one POST: a new case submitted and accepted at W01, two events in one append.
private func openingJSON() -> String {
    #"[{"type":"submitted","at":"2023-12-28T09:00:00+08:00","data":{"item":"LZH-Q-0001","channel":"window","applicant":{"kind":"person","ref":"P-9"}}},"#
        + #"{"type":"accepted","at":"2023-12-28T09:10:00+08:00","data":{"item":"LZH-Q-0001","window":"W01"}}]"#
}

/// What the reports and one case say, after the catch-up the commands do by themselves.
private func answers(_ store: String, _ caseNumber: String) throws -> [String] {
    try [["report", "evaluations"], ["report", "processing-time"], ["queue", "--window", "W01"], ["case", caseNumber]].map { command in
        let run = try runLedger(command + ["--store", store])
        return run.status == 0 ? run.output : "exit \(run.status): \(run.stderr)"
    }
}

/// The crash harness for the server: `ledger serve` killed with SIGKILL while clients POST
/// appends concurrently. After each kill: the chain verifies (indexes included); every append
/// the server acknowledged (2xx) is in the log, entirely; no append is there in part; a restarted
/// server answers every acknowledged case; the views catch up to what a clean rebuild answers.
///
/// The test suite runs `SERVER_CRASH_ROUNDS` rounds (default 3) from `CRASH_SEED` (default 12).
@Suite("Crash harness: ledger serve killed during POSTed appends", .serialized)
struct ServerCrashHarnessTests {
    @Test("after a kill -9 of the server under concurrent POSTs, every acknowledged append is there, none is partial, the views catch up")
    func serverCrashRounds() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["SERVER_CRASH_ROUNDS"].flatMap(Int.init) ?? 3
        let seed = environment["CRASH_SEED"].flatMap(UInt64.init) ?? 12
        let pristine = try PristineStore.shared.get()
        let scratch = TemporaryDirectory("ledger-server-crash")
        let tokens = scratch.appending("tokens.json")
        let added = try runLedger(["token", "add", "--tokens", tokens, "--role", "manager", "--name", "manager-1"])
        let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(added.status == 0 && !token.isEmpty, "\(added)")
        var generator = SeededGenerator(seed: seed)
        var totals = (acknowledged: 0, refused: 0, unanswered: 0, inLogUnacknowledged: 0)

        for round in 0 ..< rounds {
            let delay = Int.random(in: 100 ... 2000, using: &generator)
            let store = scratch.appending("round-\(round)")
            let context = "round \(round) (seed \(seed)): server killed after \(delay) ms of POSTs"
            try FileManager.default.copyItem(atPath: pristine.directory, toPath: store)
            let server = try HallProcess(store: store, tokens: tokens)

            // Four clients POST new cases until the server stops answering; one kills it.
            let acknowledged = Mutex<[String]>([])
            let outcome = Mutex((refused: 0, unanswered: 0, firstRefusal: ""))
            let killed = Atomic<Bool>(false)
            // The killer runs on its own queue: concurrentPerform may run fewer clients at once than asked.
            let pid = server.process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) { kill(pid, SIGKILL) }
            DispatchQueue.concurrentPerform(iterations: 4) { client in
                var i = 0
                while !killed.load(ordering: .sequentiallyConsistent) {
                    let caseNumber = "CRASH-\(round)-\(client)-\(i)"
                    i += 1
                    guard let answer = try? curl(server.url("/cases/\(caseNumber)/events"), token: token, post: openingJSON()) else { continue }
                    switch answer.status {
                    case 200 ..< 300: acknowledged.withLock { $0.append(caseNumber) }
                    case 0:
                        outcome.withLock { $0.unanswered += 1 }
                        if !server.process.isRunning { killed.store(true, ordering: .sequentiallyConsistent) }
                    default: outcome.withLock { if $0.firstRefusal.isEmpty { $0.firstRefusal = "\(answer.status) \(answer.body)" }; $0.refused += 1 }
                    }
                }
            }
            server.process.waitUntilExit()
            _ = server.stop()
            let acked = acknowledged.withLock { $0 }
            let (refused, unanswered, firstRefusal) = outcome.withLock { ($0.refused, $0.unanswered, $0.firstRefusal) }
            #expect(refused == 0, "\(context): \(refused) POSTs refused, the first: \(firstRefusal)")

            // The log verifies, with its indexes.
            let verify = try runLedger(["verify", "--store", store])
            #expect(verify.status == 0, "\(context): \(verify)")
            // Every acknowledged append is there, whole; every append in the log is whole.
            let export = try runLedger(["export", "--store", store])
            var eventsPerCase: [String: Int] = [:]
            for line in export.output.split(separator: "\n") where line.contains(#""case":"CRASH-"#) {
                guard let start = line.range(of: #""case":""#)?.upperBound, let end = line[start...].firstIndex(of: "\"") else { continue }
                eventsPerCase[String(line[start ..< end]), default: 0] += 1
            }
            for caseNumber in acked where eventsPerCase[caseNumber] != 2 {
                Issue.record("\(context): acknowledged \(caseNumber) has \(eventsPerCase[caseNumber] ?? 0) of its 2 events in the log")
            }
            for (caseNumber, count) in eventsPerCase where count != 2 {
                Issue.record("\(context): \(caseNumber) is in the log in part (\(count) of 2 events)")
            }
            totals.acknowledged += acked.count
            totals.refused += refused
            totals.unanswered += unanswered
            totals.inLogUnacknowledged += eventsPerCase.count - acked.count

            // A restarted server answers every acknowledged case from views caught up to the log.
            let restarted = try HallProcess(store: store, tokens: tokens)
            for caseNumber in acked {
                let answer = try curl(restarted.url("/cases/\(caseNumber)"), token: token)
                if answer.status != 200 || !answer.body.contains(#""acceptedAt":"2023-12-28T09:10:00+08:00""#) {
                    Issue.record("\(context): after the restart \(caseNumber) answers \(answer.status) \(answer.body.prefix(200))")
                }
            }
            restarted.stop()
            // The views as the killed and the restarted server left them equal a clean rebuild.
            let probe = acked.last ?? pristine.caseNumber
            let caughtUp = try answers(store, probe)
            try FileManager.default.removeItem(atPath: store + "/views")
            #expect(caughtUp == (try answers(store, probe)), "\(context): the views after the kill differ from a clean rebuild")
            try? FileManager.default.removeItem(atPath: store)
            print("server crash round \(round + 1) of \(rounds) (seed \(seed), killed after \(delay) ms): \(acked.count) acknowledged, \(eventsPerCase.count - acked.count) in the log unacknowledged, \(unanswered) unanswered")
        }
        print("server crash harness: \(rounds) rounds from seed \(seed): \(totals.acknowledged) appends acknowledged, all present; \(totals.inLogUnacknowledged) in the log whose answer was lost to the kill; \(totals.unanswered) POSTs unanswered; \(totals.refused) refused")
    }
}
