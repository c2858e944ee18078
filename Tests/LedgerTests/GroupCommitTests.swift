import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Group commit")
struct GroupCommitTests {
    static let appenders = 32
    static let perAppender = 200

    /// Checks the store after the 32 × 200 run: gapless seqs, versions 0…199 per case, intact chain.
    private func expectComplete(_ store: EventStore, prefix: String) throws {
        let total = GroupCommitTests.appenders * GroupCommitTests.perAppender
        let events = try allEvents(store)
        expectGapless(events, count: total)
        for a in 0 ..< GroupCommitTests.appenders {
            let caseEvents = try store.events(of: LedgerFixture.stream("\(prefix)-\(a)"))
            #expect(caseEvents.map(\.version) == Array(0 ..< UInt32(GroupCommitTests.perAppender)))
            #expect(caseEvents.map(\.at) == (0 ..< GroupCommitTests.perAppender).map { LedgerFixture.event($0).at })
        }
        let report = try store.verify()
        #expect(report.checked == UInt64(total))
        #expect(report.digest == (try store.digest()))
    }

    @Test("32 concurrent tasks × 200 appends: gapless, every case complete, chain intact",
          .timeLimit(.minutes(2)))
    func concurrentTasks() async throws {
        let temporary = try TemporaryEventStore("ledger-group")
        let store = temporary.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for a in 0 ..< GroupCommitTests.appenders {
                group.addTask {
                    let caseNumber = LedgerFixture.stream("TASK-\(a)")
                    for v in 0 ..< GroupCommitTests.perAppender {
                        let expected: ExpectedVersion = v == 0 ? .noStream : .exact(UInt32(v - 1))
                        let result = try await store.append(to: caseNumber, expected: expected,
                                                            events: [LedgerFixture.event(v)])
                        #expect(result.positions.map(\.version) == [UInt32(v)])
                    }
                }
            }
            try await group.waitForAll()
        }
        try expectComplete(store, prefix: "TASK")
    }

    @Test("32 plain threads × 200 blocking appends: gapless, every case complete, chain intact",
          .timeLimit(.minutes(2)))
    func concurrentThreads() async throws {
        let temporary = try TemporaryEventStore("ledger-group")
        let store = temporary.store
        let failures = Failures()
        let finished = DispatchGroup()
        for a in 0 ..< GroupCommitTests.appenders {
            finished.enter()
            Thread {
                defer { finished.leave() }
                let caseNumber = LedgerFixture.stream("THREAD-\(a)")
                for v in 0 ..< GroupCommitTests.perAppender {
                    let expected: ExpectedVersion = v == 0 ? .noStream : .exact(UInt32(v - 1))
                    do {
                        let result = try store.appendAndWait(to: caseNumber, expected: expected,
                                                             events: [LedgerFixture.event(v)])
                        if result.positions.map(\.version) != [UInt32(v)] {
                            failures.add("THREAD-\(a) v\(v) landed at \(result.positions)")
                        }
                    } catch {
                        failures.add("THREAD-\(a) v\(v): \(error)")
                    }
                }
            }.start()
        }
        // Wait off the cooperative pool: the threads block, tasks must not.
        await withCheckedContinuation { continuation in
            finished.notify(queue: .global()) { continuation.resume() }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        try expectComplete(store, prefix: "THREAD")
    }

    @Test("a conflict fails only its own append; the others committed with it succeed")
    func conflictFailsOnlyItsAppend() async throws {
        let temporary = try TemporaryEventStore("ledger-group")
        let store = temporary.store
        let cases = 40
        for c in 0 ..< cases {
            _ = try await store.append(to: LedgerFixture.stream("MIX-\(c)"), expected: .noStream,
                                       events: [LedgerFixture.event(c)])
        }
        // Every third append expects a wrong version; all are submitted at once, so they share commits.
        let outcomes = await withTaskGroup(of: (Int, Result<AppendResult, any Error>).self) { group in
            for c in 0 ..< cases {
                group.addTask {
                    let expected: ExpectedVersion = switch c % 3 {
                    case 0: .noStream // wrong: the case exists
                    case 1: .exact(0) // right
                    default: .any // right
                    }
                    do {
                        let result = try await store.append(to: LedgerFixture.stream("MIX-\(c)"), expected: expected,
                                                            events: LedgerFixture.events(2, first: 100 + 2 * c))
                        return (c, .success(result))
                    } catch {
                        return (c, .failure(error))
                    }
                }
            }
            var all: [Int: Result<AppendResult, any Error>] = [:]
            for await (c, outcome) in group { all[c] = outcome }
            return all
        }
        var written = cases
        for c in 0 ..< cases {
            let caseNumber = LedgerFixture.stream("MIX-\(c)")
            switch (c % 3, outcomes[c]) {
            case (0, .failure(let error)?):
                #expect(error as? LedgerError == .wrongExpectedVersion(stream: caseNumber, expected: .noStream, actual: 0))
                #expect(try store.version(of: caseNumber) == 0)
            case (1, .success(let result)?), (2, .success(let result)?):
                #expect(result.positions.map(\.version) == [1, 2])
                #expect(result.positions[1].seq == result.positions[0].seq + 1)
                #expect(try store.version(of: caseNumber) == 2)
                written += 2
            default:
                Issue.record("case \(c): unexpected outcome \(String(describing: outcomes[c]))")
            }
        }
        expectGapless(try allEvents(store), count: written)
        #expect(try store.verify().checked == UInt64(written))
    }
}

/// Failure messages collected from plain threads.
final class Failures: @unchecked Sendable {
    private var messages: [String] = []
    private let lock = NSLock()
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
