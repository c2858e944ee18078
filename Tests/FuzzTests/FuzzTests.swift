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
