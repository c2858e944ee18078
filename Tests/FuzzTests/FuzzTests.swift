import Fuzzing
import Testing

/// Short, fixed-seed runs of the fuzzers; `ledger-fuzz` runs the long ones (Docs/DAMAGE.md).
@Suite("Fuzzers, short fixed-seed runs")
struct FuzzTests {
    @Test("the record decoder never traps and accepts only records its fields fit in")
    func recordDecoder() throws {
        let outcome = try FuzzTargets.records(iterations: 50_000, seed: 12)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.accepted > 0 && outcome.accepted < outcome.iterations, "\(outcome)")
    }

    @Test("the JSON Lines parser never traps, and what it accepts writes back to the same event")
    func jsonLinesParser() {
        let outcome = FuzzTargets.jsonLines(iterations: 50_000, seed: 12)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.accepted > 0 && outcome.accepted < outcome.iterations, "\(outcome)")
    }
}

@Suite("Proof and checkpoint fuzzers, short fixed-seed runs")
struct ProofFuzzTests {
    @Test("the checkpoint parsers never trap, read back only what they write, and verify no altered note")
    func checkpointParsers() throws {
        let outcome = try FuzzTargets.checkpoints(iterations: 20_000, seed: 12)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.accepted > 0 && outcome.accepted < outcome.iterations, "\(outcome)")
    }

    @Test("the bundle reader never traps, and a mutated bundle that checks proves only what is true")
    func bundleReader() throws {
        let outcome = try FuzzTargets.bundles(iterations: 10_000, seed: 12)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.accepted > 0 && outcome.accepted < outcome.iterations, "\(outcome)")
    }

    @Test("inclusion and consistency checks accept every true proof and no false one")
    func proofChecks() throws {
        let outcome = try FuzzTargets.proofs(iterations: 50_000, seed: 12)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.accepted > 0 && outcome.accepted < outcome.iterations, "\(outcome)")
    }
}
