import CaseDomain
import Foundation
import Ledger
import Simulator
import Testing

@Suite("Simulator determinism")
struct DeterminismTests {
    @Test("the same seed gives byte-identical output; another seed differs")
    func sameSeedSameBytes() throws {
        let config = SimulationConfig(seed: 7, cases: 3_000)
        let first = try SimulatorFixtures.fingerprint(config)
        let second = try SimulatorFixtures.fingerprint(config)
        #expect(first.hash == second.hash)
        #expect(first.summary == second.summary)
        #expect(first.summary.cases == 3_000)
        let other = try SimulatorFixtures.fingerprint(SimulationConfig(seed: 8, cases: 3_000))
        #expect(other.hash != first.hash)
    }

    @Test("event ids are unique, time-ordered version-7 UUIDs")
    func eventIDs() throws {
        let (events, _) = try SimulatorFixtures.events(SimulationConfig(cases: 1_000))
        var seen: Set<UUID> = []
        for event in events {
            #expect(seen.insert(event.id).inserted)
            let bytes = event.id.uuid
            #expect(bytes.6 >> 4 == 7)
            #expect(bytes.8 >> 6 == 2)
            // The first 48 bits are the event's time in Unix milliseconds.
            let ms = withUnsafeBytes(of: event.id.uuid) { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) >> 16 }
            #expect(Int64(ms) == event.at.milliseconds)
        }
    }

    @Test("no cases, no events; a year without a calendar is refused")
    func edges() throws {
        let (events, summary) = try SimulatorFixtures.events(SimulationConfig(cases: 0))
        #expect(events.isEmpty && summary.cases == 0)
        #expect(throws: SimulationError.yearNotLoaded(2030)) {
            try SimulatorFixtures.simulator(SimulationConfig(year: 2030, cases: 10)).run { _ in }
        }
        #expect(throws: SimulationError.invalidCaseCount(-1)) {
            try SimulatorFixtures.simulator(SimulationConfig(cases: -1)).run { _ in }
        }
    }
}
