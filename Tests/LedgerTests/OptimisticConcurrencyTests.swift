import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Optimistic concurrency")
struct OptimisticConcurrencyTests {
    let temporary: TemporaryEventStore
    var store: EventStore { temporary.store }
    let existing = LedgerFixture.stream("OCC-EXISTING")
    let fresh = LedgerFixture.stream("OCC-FRESH")

    /// A store whose case OCC-EXISTING holds 3 events (versions 0…2).
    init() async throws {
        temporary = try TemporaryEventStore("ledger-occ")
        _ = try await temporary.store.append(to: existing, expected: .noStream, events: LedgerFixture.events(3))
    }

    @Test(".any appends to a new case and to an existing one")
    func anySucceeds() async throws {
        let first = try await store.append(to: fresh, expected: .any, events: [LedgerFixture.event(10)])
        #expect(first.positions == [Position(seq: 4, version: 0)])
        #expect(!first.alreadyRecorded)
        let next = try await store.append(to: existing, expected: .any, events: [LedgerFixture.event(11)])
        #expect(next.positions == [Position(seq: 5, version: 3)])
        #expect(try store.version(of: existing) == 3)
    }

    @Test(".noStream succeeds for a new case")
    func noStreamSucceeds() async throws {
        let result = try await store.append(to: fresh, expected: .noStream, events: LedgerFixture.events(2, first: 20))
        #expect(result.positions == [Position(seq: 4, version: 0), Position(seq: 5, version: 1)])
        #expect(try store.version(of: fresh) == 1)
    }

    @Test(".noStream on an existing case is refused, naming its version; nothing is written")
    func noStreamConflicts() async throws {
        let before = try store.digest()
        await #expect(throws: LedgerError.wrongExpectedVersion(stream: existing, expected: .noStream, actual: 2)) {
            try await store.append(to: existing, expected: .noStream, events: [LedgerFixture.event(30)])
        }
        #expect(try store.digest() == before)
        #expect(try store.events(of: existing).count == 3)
    }

    @Test(".exact(v) succeeds when v is the case's last version")
    func exactSucceeds() async throws {
        let result = try await store.append(to: existing, expected: .exact(2), events: LedgerFixture.events(2, first: 40))
        #expect(result.positions == [Position(seq: 4, version: 3), Position(seq: 5, version: 4)])
        let again = try await store.append(to: existing, expected: .exact(4), events: [LedgerFixture.event(42)])
        #expect(again.positions == [Position(seq: 6, version: 5)])
    }

    @Test(".exact(v) is refused when the case is elsewhere, naming its version; nothing is written",
          arguments: [UInt32(0), 1, 3, 1000])
    func exactConflicts(stale: UInt32) async throws {
        let before = try store.digest()
        await #expect(throws: LedgerError.wrongExpectedVersion(stream: existing, expected: .exact(stale), actual: 2)) {
            try await store.append(to: existing, expected: .exact(stale), events: LedgerFixture.events(2, first: 50))
        }
        #expect(try store.digest() == before)
        #expect(try store.version(of: existing) == 2)
    }

    @Test(".exact(v) on a case with no events is refused with actual nil")
    func exactOnMissingCase() async throws {
        let before = try store.digest()
        await #expect(throws: LedgerError.wrongExpectedVersion(stream: fresh, expected: .exact(0), actual: nil)) {
            try await store.append(to: fresh, expected: .exact(0), events: [LedgerFixture.event(60)])
        }
        #expect(throws: LedgerError.wrongExpectedVersion(stream: fresh, expected: .exact(0), actual: nil)) {
            try store.appendAndWait(to: fresh, expected: .exact(0), events: [LedgerFixture.event(61)])
        }
        #expect(try store.digest() == before)
        #expect(try store.version(of: fresh) == nil)
        #expect(try store.events(of: fresh).isEmpty)
    }

    @Test("the conflict's description names the case and both versions")
    func conflictDescription() {
        let error = LedgerError.wrongExpectedVersion(stream: existing, expected: .exact(1), actual: 2)
        #expect(error.description.contains("OCC-EXISTING"))
        #expect(error.description.contains("version 2"))
        #expect(error.description.contains("version 1"))
        let none = LedgerError.wrongExpectedVersion(stream: fresh, expected: .exact(0), actual: nil)
        #expect(none.description.contains("has no events"))
    }

    @Test("of two appenders with the same expected version, exactly one wins")
    func racingAppenders() async throws {
        let outcomes = await withTaskGroup(of: Result<AppendResult, any Error>.self) { group in
            for i in 0 ..< 16 {
                group.addTask { [store, existing] in
                    do {
                        return .success(try await store.append(to: existing, expected: .exact(2),
                                                               events: [LedgerFixture.event(100 + i)]))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<AppendResult, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let winners = outcomes.compactMap { try? $0.get() }
        #expect(winners.count == 1)
        #expect(winners.first?.positions == [Position(seq: 4, version: 3)])
        for case .failure(let error) in outcomes {
            #expect(error as? LedgerError == .wrongExpectedVersion(stream: existing, expected: .exact(2), actual: 3))
        }
        #expect(try store.digest().seq == 4)
        #expect(try store.verify().checked == 4)
    }
}
