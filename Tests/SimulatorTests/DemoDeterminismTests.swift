import CaseDomain
import Foundation
import Ledger
import Simulator
import Testing
import TestSupport

/// The demo's pipeline (the CLI's own `DemoPipeline`) — publish the catalog, simulate, append — twice with one seed gives the
/// same log byte for byte (same export, same digest); another seed gives another log.
@Suite("Demo determinism")
struct DemoDeterminismTests {
    /// Runs the pipeline into a fresh store and returns its export and digest.
    private func simulateIntoStore(seed: UInt64) async throws -> (export: [UInt8], digest: ChainDigest) {
        let directory = TemporaryDirectory("demo-determinism")
        let store = try EventStore(directory: directory.path, codec: CaseEventCodec())
        let ledger = try CaseLedger(store: store, calendar: try SimulatorFixtures.calendar(),
                                    hall: HallRoster(windows: try SimulatorFixtures.seeds().windows))
        let simulator = try SimulatorFixtures.simulator(SimulationConfig(year: 2023, seed: seed, cases: 400))
        var pipeline = DemoPipeline(ledger: ledger, simulator: simulator)
        pipeline.chunkSize = 500  // several commits, as a real run makes
        let outcome = try await pipeline.run()
        #expect(outcome.events == Int(try store.digest().seq))
        var export: [UInt8] = []
        try store.exportJSONLines { export.append(contentsOf: $0) }
        return (export, try store.digest())
    }

    @Test("the same seed gives a byte-identical export and digest")
    func sameSeedSameLog() async throws {
        let first = try await simulateIntoStore(seed: 11)
        let second = try await simulateIntoStore(seed: 11)
        #expect(first.export.count > 100_000)
        #expect(first.export == second.export)
        #expect(first.digest == second.digest)
    }

    @Test("another seed gives another log")
    func otherSeedOtherLog() async throws {
        let first = try await simulateIntoStore(seed: 11)
        let other = try await simulateIntoStore(seed: 12)
        #expect(first.digest != other.digest)
    }
}
