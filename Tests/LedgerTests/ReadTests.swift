import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Reading the log")
struct ReadTests {
    let temporary: TemporaryEventStore
    var store: EventStore { temporary.store }
    let a = LedgerFixture.stream("READ-A")
    let b = LedgerFixture.stream("READ-B")
    let eventsA = LedgerFixture.events(5)
    let eventsB = LedgerFixture.events(3, first: 100)

    /// Log: A0 A1 A2 B0 B1 B2 A3 A4 (seqs 1…8).
    init() async throws {
        temporary = try TemporaryEventStore("ledger-read", durable: false)
        let store = temporary.store
        _ = try await store.append(to: a, expected: .noStream, events: Array(eventsA[0 ..< 3]))
        _ = try await store.append(to: b, expected: .noStream, events: eventsB)
        _ = try await store.append(to: a, expected: .exact(2), events: Array(eventsA[3...]))
    }

    @Test("events(of:) returns the case's events with every field as appended")
    func caseEvents() throws {
        let events = try store.events(of: a)
        #expect(events.map(\.seq) == [1, 2, 3, 7, 8])
        #expect(events.map(\.version) == [0, 1, 2, 3, 4])
        for (recorded, appended) in zip(events, eventsA) {
            #expect(recorded.id == appended.id)
            #expect(recorded.typeCode == appended.type)
            #expect(recorded.at == appended.at)
            #expect(recorded.actor == appended.actor)
            #expect(recorded.payload == appended.payload)
            #expect(recorded.stream == a)
            #expect(recorded.format == RecordFormat.current)
        }
        #expect(try store.events(of: b).map(\.seq) == [4, 5, 6])
    }

    @Test("events(of:from:) starts at a version; past the end or for an unknown case it is empty")
    func caseEventsFromVersion() throws {
        #expect(try store.events(of: a, from: 2).map(\.version) == [2, 3, 4])
        #expect(try store.events(of: a, from: 4).map(\.seq) == [8])
        #expect(try store.events(of: a, from: 5).isEmpty)
        #expect(try store.events(of: LedgerFixture.stream("READ-NONE")).isEmpty)
        // A case whose name is a prefix of another is its own stream.
        #expect(try store.events(of: LedgerFixture.stream("READ-")).isEmpty)
        #expect(try store.version(of: a) == 4)
        #expect(try store.version(of: LedgerFixture.stream("READ-NONE")) == nil)
    }

    @Test("read(from:limit:) pages through the whole log in seq order")
    func readPages() throws {
        #expect(try store.events(from: 1, limit: 3).map(\.seq) == [1, 2, 3])
        #expect(try store.events(from: 4, limit: 3).map(\.seq) == [4, 5, 6])
        #expect(try store.events(from: 7, limit: 3).map(\.seq) == [7, 8])
        #expect(try store.events(from: 9, limit: 3).isEmpty)
        #expect(try store.events(from: 0, limit: 2).map(\.seq) == [1, 2])
        let all = try store.events(from: 1)
        #expect(all.map(\.stream.rawValue) == ["READ-A", "READ-A", "READ-A", "READ-B", "READ-B", "READ-B", "READ-A", "READ-A"])
        #expect(all.map(\.id) == Array(eventsA[0 ..< 3].map(\.id) + eventsB.map(\.id) + eventsA[3...].map(\.id)))
    }

    @Test("scan stops as soon as the body returns false and reports the last seq handed over")
    func scanStops() throws {
        var seen: [UInt64] = []
        let last = try store.scan(from: 2) { view in
            seen.append(view.seq)
            return view.seq < 5
        }
        #expect(seen == [2, 3, 4, 5])
        #expect(last == 5)

        var count = 0
        let end = try store.scan(from: 1) { _ in count += 1; return true }
        #expect(count == 8)
        #expect(end == 8)

        var none = 0
        let nothing = try store.scan(from: 20) { _ in none += 1; return true }
        #expect(none == 0)
        #expect(nothing == 19)
    }

    @Test("scan lends a stream's events in place from a version")
    func scanStreamInPlace() throws {
        var versions: [UInt32] = []
        var payloads: [[UInt8]] = []
        try store.scan(of: a, from: 1) { view in
            versions.append(view.version)
            payloads.append(Array(view.payload))
            return true
        }
        #expect(versions == [1, 2, 3, 4])
        #expect(payloads == eventsA[1...].map(\.payload))
    }
}
