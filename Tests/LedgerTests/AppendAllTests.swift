import Foundation
import Ledger
import Testing
import TestSupport

@Suite("appendAll (all-or-nothing batches)")
struct AppendAllTests {
    @Test("a batch commits every request, in order, on consecutive seqs")
    func batchSucceeds() async throws {
        let temporary = try TemporaryEventStore("ledger-batch")
        let store = temporary.store
        let a = LedgerFixture.stream("BATCH-A"), b = LedgerFixture.stream("BATCH-B")
        let results = try await store.appendAll([
            AppendRequest(stream: a, expected: .noStream, events: LedgerFixture.events(2)),
            AppendRequest(stream: b, expected: .noStream, events: LedgerFixture.events(1, first: 10)),
            // A later request sees the earlier ones of the same batch.
            AppendRequest(stream: a, expected: .exact(1), events: LedgerFixture.events(2, first: 20)),
        ])
        #expect(results.map(\.positions) == [
            [Position(seq: 1, version: 0), Position(seq: 2, version: 1)],
            [Position(seq: 3, version: 0)],
            [Position(seq: 4, version: 2), Position(seq: 5, version: 3)],
        ])
        #expect(results.allSatisfy { !$0.alreadyRecorded })
        expectGapless(try allEvents(store), count: 5)
    }

    @Test("one refused request refuses the whole batch, names its index, and writes nothing")
    func writerRefusal() async throws {
        let temporary = try TemporaryEventStore("ledger-batch")
        let store = temporary.store
        let existing = LedgerFixture.stream("BATCH-EXISTING")
        _ = try await store.append(to: existing, expected: .noStream, events: [LedgerFixture.event(0)])
        let digest = try store.digest()
        let requests = [
            AppendRequest(stream: LedgerFixture.stream("BATCH-1"), expected: .noStream, events: LedgerFixture.events(3)),
            AppendRequest(stream: LedgerFixture.stream("BATCH-2"), expected: .noStream, events: LedgerFixture.events(1)),
            AppendRequest(stream: existing, expected: .noStream, events: LedgerFixture.events(1, first: 5)),
            AppendRequest(stream: LedgerFixture.stream("BATCH-3"), expected: .noStream, events: LedgerFixture.events(1)),
        ]
        let error = await #expect(throws: BatchAppendError.self) { try await store.appendAll(requests) }
        #expect(error?.index == 2)
        #expect(error?.error == .wrongExpectedVersion(stream: existing, expected: .noStream, actual: 0))
        #expect(try store.digest() == digest)
        for name in ["BATCH-1", "BATCH-2", "BATCH-3"] {
            #expect(try store.version(of: LedgerFixture.stream(name)) == nil)
        }
        // The ids of the refused batch were not recorded either: the same batch, fixed, goes through.
        var fixed = requests
        fixed[2].expected = .exact(0)
        let results = try await store.appendAll(fixed)
        #expect(results.allSatisfy { !$0.alreadyRecorded })
        expectGapless(try allEvents(store), count: 7)
    }

    @Test("a request that cannot be encoded refuses the batch with its index")
    func encodingRefusal() async throws {
        let temporary = try TemporaryEventStore("ledger-batch")
        let store = temporary.store
        let requests = [
            AppendRequest(stream: LedgerFixture.stream("ENC-1"), expected: .noStream, events: LedgerFixture.events(1)),
            AppendRequest(stream: LedgerFixture.stream("ENC-2"), expected: .noStream, events: []),
        ]
        let error = await #expect(throws: BatchAppendError.self) { try await store.appendAll(requests) }
        #expect(error?.index == 1)
        #expect(error?.error == .emptyAppend(LedgerFixture.stream("ENC-2")))
        #expect(try store.digest().seq == 0)
    }

    @Test("an id conflict inside a batch refuses all of it")
    func idConflictInBatch() async throws {
        let temporary = try TemporaryEventStore("ledger-batch")
        let store = temporary.store
        let recorded = LedgerFixture.event(0)
        _ = try await store.append(to: LedgerFixture.stream("IDB-0"), expected: .noStream, events: [recorded])
        var altered = recorded
        altered.payload = [1, 2, 3]
        let error = await #expect(throws: BatchAppendError.self) {
            try await store.appendAll([
                AppendRequest(stream: LedgerFixture.stream("IDB-1"), expected: .noStream, events: LedgerFixture.events(2)),
                AppendRequest(stream: LedgerFixture.stream("IDB-0"), expected: .any, events: [altered]),
            ])
        }
        #expect(error?.index == 1)
        #expect(error?.error == .idConflict(id: recorded.id, seq: 1))
        #expect(try store.digest().seq == 1)
    }
}
