import Fuzzing
import Foundation

// ledger-fuzz TARGET ITERATIONS [SEED] — the long runs of the fuzzers (the test suite runs a
// short fixed-seed version). Exit 1 when an invariant broke.
let targets: [(name: String, run: (Int, UInt64) throws -> FuzzOutcome)] = [
    ("records", { try FuzzTargets.records(iterations: $0, seed: $1) }),
    ("jsonl", { FuzzTargets.jsonLines(iterations: $0, seed: $1) }),
    ("checkpoints", { try FuzzTargets.checkpoints(iterations: $0, seed: $1) }),
    ("bundles", { try FuzzTargets.bundles(iterations: $0, seed: $1) }),
    ("proofs", { try FuzzTargets.proofs(iterations: $0, seed: $1) }),
]
let names = targets.map(\.name)
let arguments = CommandLine.arguments
guard arguments.count >= 3, let iterations = Int(arguments[2]), iterations >= 0, (names + ["all"]).contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: ledger-fuzz \((names + ["all"]).joined(separator: "|")) ITERATIONS [SEED]\n".utf8))
    exit(2)
}
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
var broken = false
for target in targets where arguments[1] == "all" || arguments[1] == target.name {
    let started = Date()
    let outcome = try target.run(iterations, seed)
    print(outcome, String(format: "(%.1f s)", Date().timeIntervalSince(started)))
    for failure in outcome.failures { print("  FAILURE: \(failure)") }
    broken = broken || !outcome.failures.isEmpty
}
exit(broken ? 1 : 0)
