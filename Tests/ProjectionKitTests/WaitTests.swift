import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

@Suite("Read-your-writes and names")
struct WaitTests {
    /// Whether the typeCounts view has applied `seq`, and its checkpoint.
    private func applied(_ runner: ProjectionRunner, _ seq: UInt64) throws -> (Bool, UInt64) {
        try runner.read(.typeCounts) { reader in
            let seen: Database<UInt64, UInt64> = reader.databases("seen")
            return (try reader.transaction.get(seen, seq) == 1, reader.checkpoint)
        }
    }

    @Test("wait(until:) returns once an append is applied to every view", .timeLimit(.minutes(1)))
    func readYourWrites() async throws {
        let temporary = try await ToyEvents.store(10)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
        try runner.catchUp()

        // After the append: the view has it when wait returns.
        let result = try await store.append(to: LedgerFixture.stream("TOY-1"), expected: .any,
                                            events: [ToyEvents.request(10).events[0]])
        let seq = result.positions[0].seq
        #expect(seq == 11)
        #expect(try applied(runner, seq) == (false, 10))
        try await withTimeout(seconds: 10) { try await runner.wait(until: seq) }
        #expect(try applied(runner, seq) == (true, 11))
        #expect(try runner.status().allSatisfy { $0.checkpoint == 11 && $0.lag == 0 })

        // Waiting first, appending after: the waiter wakes up and catches up.
        let waiter = Task { try await withTimeout(seconds: 10) { try await runner.wait(until: 12) } }
        try await ToyEvents.append(11 ..< 13, to: store)
        try await waiter.value
        let (has12, checkpoint) = try applied(runner, 12)
        #expect(has12)
        #expect(checkpoint >= 12)
    }

    @Test("wait(until:) does not return before the event exists", .timeLimit(.minutes(1)))
    func waitForFutureSeq() async throws {
        let temporary = try await ToyEvents.store(5)
        let views = TemporaryDirectory("projkit-views")
        let runner = try ProjectionRunner(store: temporary.store, directory: views.path, projections: Toy.all())
        await #expect(throws: TimeoutError.self) {
            try await withTimeout(seconds: 0.5) { try await runner.wait(until: 6) }
        }
        // It still caught up with what exists.
        #expect(try runner.status().allSatisfy { $0.checkpoint == 5 })
    }

    @Test("unknown projection names give ProjectionError and change nothing")
    func unknownNames() async throws {
        let temporary = try await ToyEvents.store(5)
        let views = TemporaryDirectory("projkit-views")
        let runner = try ProjectionRunner(store: temporary.store, directory: views.path, projections: Toy.all())
        try runner.catchUp()
        let expected = ProjectionError.unknownProjection("nope", known: ["typeCounts", "caseEvents"])
        #expect(throws: expected) { try runner.read(ViewName("nope")) { _ in 0 } }
        #expect(throws: expected) { try runner.rebuild([.typeCounts, ViewName("nope")]) }
        #expect(try runner.status().map(\.generation) == [1, 1])
        #expect(expected.description.contains("nope") && expected.description.contains("typeCounts, caseEvents"))
    }
}
