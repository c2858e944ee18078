import Fuzzing
import Foundation

// ledger-fuzz TARGET ITERATIONS [SEED] — the long runs of the fuzzers (the test suite runs a
// short fixed-seed version). TARGET: records, jsonl or all. Exit 1 when an invariant broke.
let arguments = CommandLine.arguments
guard arguments.count >= 3, let iterations = Int(arguments[2]), ["records", "jsonl", "all"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: ledger-fuzz records|jsonl|all ITERATIONS [SEED]\n".utf8))
    exit(2)
}
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
var outcomes: [FuzzOutcome] = []
let started = Date()
if arguments[1] != "jsonl" { outcomes.append(try FuzzTargets.records(iterations: iterations, seed: seed)) }
if arguments[1] != "records" { outcomes.append(FuzzTargets.jsonLines(iterations: iterations, seed: seed)) }
for outcome in outcomes {
    print(outcome)
    for failure in outcome.failures { print("  FAILURE: \(failure)") }
}
print(String(format: "%.1f s", Date().timeIntervalSince(started)))
exit(outcomes.allSatisfy { $0.failures.isEmpty } ? 0 : 1)
