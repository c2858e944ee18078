import Fuzzing
import Foundation

// ledger-fuzz TARGET ITERATIONS [SEED] — the long runs of the fuzzers (the test suite runs a
// short fixed-seed version). Exit 1 when an invariant broke.
// Runs of a million iterations or more print a progress line every 1%, so a run stopped early
// still says how far it got.
let targets: [(name: String, run: (Int, UInt64, FuzzProgress?) throws -> FuzzOutcome)] = [
    ("records", { try FuzzTargets.records(iterations: $0, seed: $1, progress: $2) }),
    ("jsonl", { FuzzTargets.jsonLines(iterations: $0, seed: $1, progress: $2) }),
    ("checkpoints", { try FuzzTargets.checkpoints(iterations: $0, seed: $1, progress: $2) }),
    ("bundles", { try FuzzTargets.bundles(iterations: $0, seed: $1, progress: $2) }),
    ("proofs", { try FuzzTargets.proofs(iterations: $0, seed: $1, progress: $2) }),
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
    let progress = iterations < 1_000_000 ? nil : FuzzProgress(every: iterations / 100) { done, outcome in
        print("  \(outcome.target): \(done) of \(iterations) iterations, \(outcome.accepted) accepted, \(outcome.failures.count) invariant failures",
              String(format: "(%.1f s)", Date().timeIntervalSince(started)))
        fflush(nil)
    }
    let outcome = try target.run(iterations, seed, progress)
    print(outcome, String(format: "(%.1f s)", Date().timeIntervalSince(started)))
    for failure in outcome.failures { print("  FAILURE: \(failure)") }
    broken = broken || !outcome.failures.isEmpty
}
exit(broken ? 1 : 0)
