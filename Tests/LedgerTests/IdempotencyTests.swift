import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Idempotent retries")
struct IdempotencyTests {
    let caseNumber = LedgerFixture.stream("IDEM-1")

    @Test("retrying the same events returns the original positions and appends nothing")
    func exactRetry() async throws {
        let temporary = try TemporaryEventStore("ledger-idem")
        let store = temporary.store
        let events = LedgerFixture.events(3)
        let original = try await store.append(to: caseNumber, expected: .noStream, events: events)
        #expect(!original.alreadyRecorded)
        let digest = try store.digest()

        // The retry's expected version is stale (.noStream) — a retry must still be recognised.
        let retry = try await store.append(to: caseNumber, expected: .noStream, events: events)
        #expect(retry.alreadyRecorded)
        #expect(retry.positions == original.positions)
        let blocking = try store.appendAndWait(to: caseNumber, expected: .exact(0), events: events)
        #expect(blocking == retry)
        #expect(try store.digest() == digest)
        #expect(try store.events(of: caseNumber).count == 3)
    }

    @Test("a retry is recognised after later appends and after reopening the store (forever)")
    func retryLater() async throws {
        let directory = TemporaryDirectory("ledger-idem")
        let events = LedgerFixture.events(2)
        let original: AppendResult
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
            original = try await store.append(to: caseNumber, expected: .noStream, events: events)
            for i in 0 ..< 20 {
                _ = try await store.append(to: caseNumber, expected: .any, events: [LedgerFixture.event(100 + i)])
            }
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let digest = try store.digest()
        let retry = try await store.append(to: caseNumber, expected: .noStream, events: events)
        #expect(retry.alreadyRecorded)
        #expect(retry.positions == original.positions)
        #expect(try store.digest() == digest)
    }

    @Test("two identical appends racing in one group commit write once")
    func concurrentRetries() async throws {
        let temporary = try TemporaryEventStore("ledger-idem")
        let store = temporary.store
        let events = LedgerFixture.events(2)
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { [caseNumber] group in
            for _ in 0 ..< 8 {
                group.addTask { try await store.append(to: caseNumber, expected: .noStream, events: events) }
            }
            var all: [AppendResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.filter { !$0.alreadyRecorded }.count == 1)
        #expect(Set(results.map(\.positions)).count == 1)
        #expect(results[0].positions == [Position(seq: 1, version: 0), Position(seq: 2, version: 1)])
        #expect(try store.digest().seq == 2)
    }

    @Test("the same id with different content is an idConflict naming the recorded seq",
          arguments: ["payload", "type", "time", "actor", "case"])
    func idConflict(changed field: String) async throws {
        let temporary = try TemporaryEventStore("ledger-idem")
        let store = temporary.store
        _ = try await store.append(to: caseNumber, expected: .noStream, events: [LedgerFixture.event(0)])
        let original = LedgerFixture.event(1)
        _ = try await store.append(to: caseNumber, expected: .any, events: [original])
        let digest = try store.digest()

        var altered = original
        var target = caseNumber
        switch field {
        case "payload": altered.payload[0] ^= 1
        case "type": altered.type = EventTypeCode(13)
        case "time": altered.at.milliseconds += 1
        case "actor": altered.actor = "clerk-02"
        default: target = LedgerFixture.stream("IDEM-OTHER")
        }
        await #expect(throws: LedgerError.idConflict(id: original.id, seq: 2)) {
            try await store.append(to: target, expected: .any, events: [altered])
        }
        #expect(try store.digest() == digest)
    }

    @Test("a retry where only some ids are recorded is a partialRetry; nothing is written")
    func partialRetry() async throws {
        let temporary = try TemporaryEventStore("ledger-idem")
        let store = temporary.store
        let events = LedgerFixture.events(2)
        _ = try await store.append(to: caseNumber, expected: .noStream, events: events)
        let digest = try store.digest()
        let mixed = [LedgerFixture.event(5), events[1]]
        await #expect(throws: LedgerError.partialRetry(id: events[1].id, seq: 2)) {
            try await store.append(to: caseNumber, expected: .any, events: mixed)
        }
        #expect(try store.digest() == digest)
        #expect(try store.events(of: caseNumber).map(\.id) == events.map(\.id))
    }

    @Test("an id twice in one append is refused before anything is written")
    func duplicateIdInAppend() async throws {
        let temporary = try TemporaryEventStore("ledger-idem")
        let store = temporary.store
        let event = LedgerFixture.event(0)
        var twin = LedgerFixture.event(1)
        twin.id = event.id
        await #expect(throws: LedgerError.duplicateIdInAppend(event.id)) {
            try await store.append(to: caseNumber, expected: .noStream, events: [event, twin])
        }
        #expect(try store.digest().seq == 0)
    }
}
