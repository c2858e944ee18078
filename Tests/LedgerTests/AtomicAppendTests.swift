import Foundation
import Ledger
import Testing
import TestSupport

/// Every event of the log, in seq order.
func allEvents(_ store: EventStore) throws -> [RecordedEvent] {
    var events: [RecordedEvent] = []
    var next: UInt64 = 1
    while true {
        let page = try store.events(from: next, limit: 1000)
        guard let last = page.last else { return events }
        events += page
        next = last.seq + 1
    }
}

/// Checks that the log's seqs are exactly 1…count.
func expectGapless(_ events: [RecordedEvent], count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(events.count == count, sourceLocation: sourceLocation)
    #expect(events.map(\.seq) == (0 ..< count).map { UInt64($0) + 1 },
            "global seq must be gapless from 1", sourceLocation: sourceLocation)
}

@Suite("Atomic multi-event appends")
struct AtomicAppendTests {
    @Test("a multi-event append lands on consecutive seqs and versions, in order")
    func consecutivePositions() async throws {
        let temporary = try TemporaryEventStore("ledger-atomic")
        let store = temporary.store
        let a = LedgerFixture.stream("ATOM-A"), b = LedgerFixture.stream("ATOM-B")
        let first = try await store.append(to: a, expected: .noStream, events: LedgerFixture.events(4))
        #expect(first.positions == (0 ..< 4).map { Position(seq: UInt64($0) + 1, version: UInt32($0)) })
        let second = try await store.append(to: b, expected: .noStream, events: LedgerFixture.events(2, first: 10))
        #expect(second.positions == [Position(seq: 5, version: 0), Position(seq: 6, version: 1)])
        let third = try await store.append(to: a, expected: .exact(3), events: LedgerFixture.events(3, first: 20))
        #expect(third.positions == [Position(seq: 7, version: 4), Position(seq: 8, version: 5), Position(seq: 9, version: 6)])

        let events = try allEvents(store)
        expectGapless(events, count: 9)
        #expect(events.map(\.stream.rawValue) == ["ATOM-A", "ATOM-A", "ATOM-A", "ATOM-A", "ATOM-B", "ATOM-B",
                                                      "ATOM-A", "ATOM-A", "ATOM-A"])
        #expect(try store.events(of: a).map(\.version) == Array(0 ... 6))
    }

    @Test("concurrent multi-event appends are never interleaved; the global seq stays gapless")
    func noInterleaving() async throws {
        let temporary = try TemporaryEventStore("ledger-atomic")
        let store = temporary.store
        let appenders = 12, rounds = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for a in 0 ..< appenders {
                group.addTask {
                    for r in 0 ..< rounds {
                        let size = 1 + (a + r) % 5
                        let result = try await store.append(to: LedgerFixture.stream("ATOM-\(a)-\(r)"),
                                                            expected: .noStream, events: LedgerFixture.events(size))
                        let seqs = result.positions.map(\.seq)
                        #expect(seqs == Array(seqs[0] ..< seqs[0] + UInt64(size)), "batch seqs must be consecutive")
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = (0 ..< appenders).reduce(0) { sum, a in sum + (0 ..< rounds).reduce(0) { $0 + 1 + (a + $1) % 5 } }
        let events = try allEvents(store)
        expectGapless(events, count: total)
        // Each case's events are one contiguous run of the log.
        var runs: [String: [UInt64]] = [:]
        for event in events { runs[event.stream.rawValue, default: []].append(event.seq) }
        for (caseNumber, seqs) in runs {
            #expect(seqs.last! - seqs.first! + 1 == UInt64(seqs.count), "\(caseNumber) is split")
        }
        #expect(try store.verify().checked == UInt64(total))
    }

    @Test("a refused multi-event append leaves nothing, and the next append takes the next seq")
    func failedAppendLeavesNothing() async throws {
        let temporary = try TemporaryEventStore("ledger-atomic")
        let store = temporary.store
        let caseNumber = LedgerFixture.stream("ATOM-FAIL")
        _ = try await store.append(to: caseNumber, expected: .noStream, events: LedgerFixture.events(2))
        let digest = try store.digest()
        // Refused by the writer (version conflict) …
        await #expect(throws: LedgerError.self) {
            try await store.append(to: caseNumber, expected: .exact(0), events: LedgerFixture.events(5, first: 10))
        }
        // … and before the writer (the 4th event's actor is invalid).
        var events = LedgerFixture.events(5, first: 20)
        events[3].actor = ""
        await #expect(throws: LedgerError.invalidActor("")) {
            try await store.append(to: caseNumber, expected: .exact(1), events: events)
        }
        #expect(try store.digest() == digest)
        let next = try await store.append(to: caseNumber, expected: .exact(1), events: [LedgerFixture.event(30)])
        #expect(next.positions == [Position(seq: 3, version: 2)])
        expectGapless(try allEvents(store), count: 3)
    }
}
