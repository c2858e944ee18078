import Foundation
import Ledger
import Synchronization
import Testing
import TestSupport

@Suite("What the writer tells observers: commit groups and open read transactions")
struct CommitObserverTests {
    @Test("every append is in exactly one observed group; concurrent appends share groups; refusals count as appends, not events")
    func groups() async throws {
        let temporary = try TemporaryEventStore("ledger-commit-groups")
        let store = temporary.store
        let seen = Mutex<[CommitGroup]>([])
        store.observeCommits { group in seen.withLock { $0.append(group) } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for a in 0 ..< 64 {
                group.addTask {
                    _ = try await store.append(to: LedgerFixture.stream("GROUP-\(a)"), expected: .noStream, events: LedgerFixture.events(2))
                }
            }
            try await group.waitForAll()
        }
        var groups = seen.withLock { $0 }
        #expect(groups.reduce(0) { $0 + $1.appends } == 64)
        #expect(groups.reduce(0) { $0 + $1.events } == 128)
        #expect(groups.count <= 64)

        // A refused append (a version conflict) is in a group but adds no event.
        seen.withLock { $0.removeAll() }
        await #expect(throws: LedgerError.self) {
            _ = try await store.append(to: LedgerFixture.stream("GROUP-0"), expected: .noStream, events: LedgerFixture.events(1))
        }
        groups = seen.withLock { $0 }
        #expect(groups == [CommitGroup(appends: 1, events: 0)])

        // An all-or-nothing batch is one group of its appends.
        seen.withLock { $0.removeAll() }
        _ = try await store.appendAll([
            AppendRequest(stream: LedgerFixture.stream("BATCH-1"), expected: .noStream, events: LedgerFixture.events(1)),
            AppendRequest(stream: LedgerFixture.stream("BATCH-2"), expected: .noStream, events: LedgerFixture.events(3)),
        ])
        #expect(seen.withLock { $0 } == [CommitGroup(appends: 2, events: 4)])
    }

    @Test("open read transactions: one while a scan runs, none after")
    func openReads() async throws {
        let temporary = try TemporaryEventStore("ledger-open-reads")
        let store = temporary.store
        _ = try await store.append(to: LedgerFixture.stream("READ-1"), expected: .noStream, events: LedgerFixture.events(1))
        #expect(store.openReadTransactions == 0)
        var during = -1
        _ = try store.scan(from: 1) { _ in
            during = store.openReadTransactions
            return false
        }
        #expect(during == 1)
        #expect(store.openReadTransactions == 0)
    }
}
