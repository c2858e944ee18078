import Foundation
import Ledger
import Testing
import TestSupport

/// Consumes a subscription in its own task and hands each event over through a stream, so the
/// test can append while the consumer is waiting.
private struct Follower {
    let events: AsyncStream<RecordedEvent>
    let task: Task<Int, any Error>

    init(_ subscription: EventSubscription) {
        let (stream, continuation) = AsyncStream<RecordedEvent>.makeStream()
        events = stream
        task = Task {
            var delivered = 0
            for try await event in subscription {
                continuation.yield(event)
                delivered += 1
            }
            continuation.finish()
            return delivered
        }
    }
}

/// Takes the next `count` events from `stream`, failing instead of hanging after `seconds`.
private func take(_ count: Int, from stream: AsyncStream<RecordedEvent>, within seconds: Double = 10) async throws -> [RecordedEvent] {
    try await withTimeout(seconds: seconds) {
        var taken: [RecordedEvent] = []
        for await event in stream {
            taken.append(event)
            if taken.count == count { break }
        }
        return taken
    }
}

@Suite("Subscriptions", .timeLimit(.minutes(1)))
struct SubscriptionTests {
    @Test("subscribe(from: 1) delivers the existing events in order, then new appends live")
    func catchUpThenFollow() async throws {
        let temporary = try TemporaryEventStore("ledger-sub", durable: false)
        let store = temporary.store
        let caseNumber = LedgerFixture.stream("SUB-1")
        let existing = LedgerFixture.events(5)
        _ = try await store.append(to: caseNumber, expected: .noStream, events: existing)

        let follower = Follower(store.subscribe(from: 1))
        let caughtUp = try await take(5, from: follower.events)
        #expect(caughtUp.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(caughtUp.map(\.id) == existing.map(\.id))

        // The consumer is now waiting for appends that do not exist yet.
        let live = LedgerFixture.event(10)
        _ = try await store.append(to: caseNumber, expected: .exact(4), events: [live])
        let first = try await take(1, from: follower.events)
        #expect(first.map(\.seq) == [6])
        #expect(first.first?.id == live.id)

        // Appends from another case, a batch and a blocking append all arrive, in seq order.
        let other = LedgerFixture.stream("SUB-2")
        _ = try await store.append(to: other, expected: .noStream, events: LedgerFixture.events(2, first: 20))
        _ = try await store.appendAll([AppendRequest(stream: caseNumber, expected: .exact(5),
                                                     events: LedgerFixture.events(3, first: 30))])
        _ = try store.appendAndWait(to: other, expected: .exact(1), events: [LedgerFixture.event(40)])
        let rest = try await take(6, from: follower.events)
        #expect(rest.map(\.seq) == [7, 8, 9, 10, 11, 12])
        #expect(rest.map(\.stream.rawValue) == ["SUB-2", "SUB-2", "SUB-1", "SUB-1", "SUB-1", "SUB-2"])

        // Cancelling the consuming task ends the subscription.
        follower.task.cancel()
        let delivered = try await withTimeout(seconds: 10) { try await follower.task.value }
        #expect(delivered == 12)
    }

    @Test("subscribe(from:) a later seq skips what came before")
    func fromLaterSeq() async throws {
        let temporary = try TemporaryEventStore("ledger-sub", durable: false)
        let store = temporary.store
        _ = try await store.append(to: LedgerFixture.stream("SUB-3"), expected: .noStream,
                                   events: LedgerFixture.events(4))
        let follower = Follower(store.subscribe(from: 3))
        #expect(try await take(2, from: follower.events).map(\.seq) == [3, 4])
        _ = try await store.append(to: LedgerFixture.stream("SUB-3"), expected: .exact(3),
                                   events: [LedgerFixture.event(9)])
        #expect(try await take(1, from: follower.events).map(\.seq) == [5])
        follower.task.cancel()
        _ = try await withTimeout(seconds: 10) { try await follower.task.value }
    }

    @Test("a subscription reads past its internal batch size without losing or repeating events")
    func manyEvents() async throws {
        let temporary = try TemporaryEventStore("ledger-sub", durable: false)
        let store = temporary.store
        let total = 1300
        _ = try await store.appendAll((0 ..< total / 10).map { c in
            AppendRequest(stream: LedgerFixture.stream("BULK-\(c)"), expected: .noStream,
                          events: LedgerFixture.events(10, first: c * 10))
        })
        let follower = Follower(store.subscribe())
        let all = try await take(total, from: follower.events, within: 30)
        #expect(all.map(\.seq) == (1 ... UInt64(total)).map { $0 })
        follower.task.cancel()
        _ = try await withTimeout(seconds: 10) { try await follower.task.value }
    }
}
