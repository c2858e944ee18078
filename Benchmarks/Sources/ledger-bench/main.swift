// ledger-bench: this ledger side by side with an SQLite event table and raw LMDB, on the same
// generated workload (the simulator's mix, payloads as stored), in one run. Prints medians over
// repetitions with min–max and ratios, and writes the same results as JSON.
//
//   swift run -c release ledger-bench                  # ≥ 1,000,000 events, 5 repetitions
//   swift run -c release ledger-bench --smoke          # tiny sizes, one repetition (CI)
//   ledger-bench --events 2000000 --repetitions 7 --json results.json --memory-events 10000000
import CaseDomain
import Foundation
import Ledger
import ProjectionKit

struct Options {
    var smoke = false
    var events = 1_000_000
    var repetitions = 5
    var memoryEvents = [1_000_000, 10_000_000]
    var json = Repository.root.appendingPathComponent("Benchmarks/results/latest.json").path
    var seed: UInt64 = 2023
    /// Phases to leave out: durable, rebuild, reads, proofs, memory (bulk always runs: the others read its store).
    var skip: Set<String> = []

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--smoke": smoke = true
            case "--events": events = number(value(), "--events")
            case "--repetitions": repetitions = max(1, number(value(), "--repetitions"))
            case "--memory-events": memoryEvents = value().split(separator: ",").map { number(String($0), "--memory-events") }
            case "--json": json = value()
            case "--seed": seed = number(value(), "--seed")
            case "--skip": skip = Set(value().split(separator: ",").map(String.init))
            case "--help", "-h":
                print("usage: ledger-bench [--smoke] [--events N] [--repetitions R] [--memory-events N,M] [--json PATH] [--seed S] [--skip durable,rebuild,reads,proofs,memory]")
                exit(0)
            default: fail("unknown argument \(args[i]) (see --help)")
            }
            i += 1
        }
        if smoke {
            events = 20_000
            repetitions = 1
            memoryEvents = [20_000]
        }
    }
}

func number<T: LosslessStringConvertible>(_ text: String, _ flag: String) -> T {
    guard let value = T(text) else { fail("\(flag) takes a number, not \(text)") }
    return value
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ledger-bench: \(message)\n".utf8))
    exit(2)
}

/// The child process of the memory measurement: rebuild every view of STORE, print peak RSS.
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "rss-rebuild" {
    let store = try LedgerPeer.openStore(CommandLine.arguments[2])
    try await withScratchDirectory { views in
        let rate = try LedgerPeer.rebuild(store: store, viewsDirectory: views)
        print("\(peakResidentMiB()) \(rate)")
    }
    exit(0)
}

let options = Options(CommandLine.arguments)
var rows: [ResultRow] = []
@MainActor func measure(_ body: () async throws -> Double) async rethrows -> Sample {
    var values: [Double] = []
    for _ in 0 ..< options.repetitions { values.append(try await body()) }
    return Sample(values: values)
}

let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
print("ledger-bench: \(options.smoke ? "smoke run" : "full run"), \(options.repetitions) repetition(s), \(machine)")

// The workload: the simulator's mix, about 7.1 events a case.
var workload = try Workload(cases: max(200, options.events * 10 / 71), seed: options.seed, batchEvents: 8192)
print("workload: \(workload.eventCount) events in \(workload.requests.count) appends, \(workload.batches.count) batches of ~8192")

try await withScratchDirectory { scratch in
    // 1. Bulk append. The first run's store is kept for the rebuild and read measurements.
    let keptStore = scratch + "/kept"
    var runIndex = 0
    let ledgerBulk = try await measure {
        runIndex += 1
        let dir = runIndex == 1 ? keptStore : scratch + "/bulk-\(runIndex)"
        defer { if runIndex != 1 { try? FileManager.default.removeItem(atPath: dir) } }
        return try await LedgerPeer.bulk(workload, directory: dir)
    }
    // Profiling aids: LEDGER_BENCH_PROFILE=bulk stops after the ledger's bulk runs, =rebuild runs
    // only the ledger's rebuilds after them, =proofs only the bundle latencies.
    let profile = ProcessInfo.processInfo.environment["LEDGER_BENCH_PROFILE"]
    if profile == "bulk" { exit(0) }
    let store = try LedgerPeer.openStore(keptStore)
    if profile == "proofs" {
        let caseNumbers = Array(Set(workload.requests.map(\.stream)))
        for _ in 1 ... options.repetitions {
            let l = try ProofBench.bundleLatencies(store: store, cases: caseNumbers, samples: 5_000)
            print(String(format: "bundle build p50 %.0f p99 %.0f µs, check p50 %.0f p99 %.0f µs (%.1f events a case)",
                         l.build50, l.build99, l.check50, l.check99, l.events))
        }
        let built = try ProofBench.buildParts(store: store, cases: caseNumbers, samples: 2_000)
        print(String(format: "build's parts, p50: records and paths %.0f µs, decoding the events %.0f µs, writing the document %.0f µs",
                     built.paths, built.decode, built.write))
        let parts = try ProofBench.checkParts(store: store, cases: caseNumbers, samples: 2_000)
        print(String(format: "check's parts, p50: read the document %.0f µs, Ed25519 verify alone %.0f µs, checkpoint signature %.0f µs, check of a read bundle %.0f µs",
                     parts.read, parts.ed25519, parts.signature, parts.check))
        exit(0)
    }
    if profile == "rebuild" {
        for run in 1 ... options.repetitions {
            let rate = try LedgerPeer.rebuild(store: store, viewsDirectory: scratch + "/profile-views-\(run)")
            print(String(format: "rebuild: %.0f events/s", rate))
        }
        exit(0)
    }
    try store.scan(from: 1) { view in
        if view.caseBytes.first != UInt8(ascii: "C") { workload.records.add(view) }  // the cases, not the catalog
        return true
    }
    let batchSizes = workload.batchEventCounts
    runIndex = 0
    let rawBulk = try await measure {
        runIndex += 1
        let dir = scratch + "/raw-\(runIndex)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return try RawLMDBPeer.bulk(records: workload.records, batches: batchSizes, directory: dir)
    }
    let keptSQLite = scratch + "/kept.sqlite"
    runIndex = 0
    let sqliteBulk = try await measure {
        runIndex += 1
        let path = runIndex == 1 ? keptSQLite : scratch + "/bulk-\(runIndex).sqlite"
        defer { if runIndex != 1 { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
        return try SQLitePeer.bulk(records: workload.records, batches: batchSizes, path: path)
    }
    rows.append(ResultRow(name: "bulk append (batches of 8192)", unit: "events/s", ledger: ledgerBulk, sqlite: sqliteBulk,
                          rawLMDB: rawBulk, target: "≥ 1.5× SQLite, ≥ 50% raw"))

    // 2. Durable concurrent appends.
    for writers in options.skip.contains("durable") ? [] : options.smoke ? [1, 32] : [1, 8, 32, 128] {
        let total = options.smoke ? 64 : max(1024, writers * 16)
        let each = max(1, total / writers)
        runIndex = 0
        let ledger = try await measure {
            runIndex += 1
            let dir = scratch + "/durable-\(writers)-\(runIndex)"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            return try await LedgerPeer.durable(writers: writers, each: each, payloads: workload.records, directory: dir)
        }
        let sqlite = try await measure {
            runIndex += 1
            let path = scratch + "/durable-\(writers)-\(runIndex).sqlite"
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
            return try SQLitePeer.durable(writers: writers, each: each, records: workload.records, path: path)
        }
        rows.append(ResultRow(name: "durable append, \(writers) writer\(writers == 1 ? "" : "s")", unit: "events/s",
                              ledger: ledger, sqlite: sqlite, target: writers == 32 ? "≥ 5× SQLite" : nil))
    }

    // 3. Full rebuild of the four views.
    if !options.skip.contains("rebuild") {
    runIndex = 0
    let ledgerRebuild = try await measure {
        runIndex += 1
        let dir = scratch + "/views-\(runIndex)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try LedgerPeer.rebuild(store: store, viewsDirectory: dir)
    }
    let sqliteRebuild = try await measure {
        runIndex += 1
        let dir = scratch + "/sqlite-views-\(runIndex)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try SQLitePeer.rebuild(path: keptSQLite, viewsDirectory: dir, batch: 50_000)
    }
    rows.append(ResultRow(name: "rebuild, 4 projections", unit: "events/s", ledger: ledgerRebuild, sqlite: sqliteRebuild,
                          target: "≥ 1M/s"))
    }

    // 4. In-process reads.
    if !options.skip.contains("reads") {
    let runner = try ProjectionRunner(store: store, directory: scratch + "/views-reads", projections: try LedgerPeer.projections())
    try runner.catchUp()
    var generator = SystemRandomNumberGenerator()
    let caseNumbers = Array(Set(workload.requests.map(\.stream)))
    let lookups = options.smoke ? 2_000 : 100_000
    var p50: [Double] = [], p99: [Double] = []
    for _ in 0 ..< options.repetitions {
        let sample = (0 ..< lookups).map { _ in caseNumbers.randomElement(using: &generator)! }
        let latencies = try LedgerPeer.caseLookups(runner: runner, cases: sample).sorted()
        p50.append(latencies[latencies.count / 2])
        p99.append(latencies[latencies.count * 99 / 100])
    }
    rows.append(ResultRow(name: "case-state lookup p50", unit: "µs", ledger: Sample(values: p50), higherIsBetter: false))
    rows.append(ResultRow(name: "case-state lookup p99", unit: "µs", ledger: Sample(values: p99), target: "< 20 µs",
                          higherIsBetter: false))

    let history = try CaseNumber("BENCH-HISTORY-20")
    let step = EventData.stepCompleted(step: .review, opinion: "材料齐全，符合法定形式，同意受理并转审批").encoded()
    _ = try await store.append(to: history, expected: .noStream, events: (0 ..< 20).map { i in
        NewEvent(type: .stepCompleted, at: Timestamp(milliseconds: 1_690_000_000_000 + Int64(i)), actor: "clerk-07", payload: step)
    })
    let historyTable = try SQLiteEventTable(path: keptSQLite, createSchema: false)
    try historyTable.exec("BEGIN")
    var historyRecords: [[UInt8]] = []
    try store.scan(of: history) { historyRecords.append(Array($0.record)); return true }
    for (i, record) in historyRecords.enumerated() {
        try record.withUnsafeBytes { try historyTable.insert(seq: nil, caseNumber: history.rawValue, version: Int64(i), type: 12, record: $0,
                                                             id: (0 ..< 16).map { UInt8(truncatingIfNeeded: $0 &+ i &* 7 &+ 200) }) }
    }
    try historyTable.exec("COMMIT")
    let reads = options.smoke ? 500 : 20_000
    var ledgerHistory: [Double] = [], sqliteHistory: [Double] = []
    for _ in 0 ..< options.repetitions {
        ledgerHistory.append(try LedgerPeer.history(store: store, caseNumber: history, repetitions: reads).sorted()[reads / 2])
        var latencies: [Double] = []
        for _ in 0 ..< reads {
            let start = nanoseconds()
            var count = 0
            try historyTable.history(of: history.rawValue) { raw in
                if let view = try? EventView(seq: 1, record: raw), (try? view.recorded().data()) != nil { count += 1 }
            }
            precondition(count == 20)
            latencies.append(Double(nanoseconds() - start) / 1000)
        }
        sqliteHistory.append(latencies.sorted()[reads / 2])
    }
    rows.append(ResultRow(name: "read a 20-event history, p50", unit: "µs", ledger: Sample(values: ledgerHistory),
                          sqlite: Sample(values: sqliteHistory), higherIsBetter: false))
    }

    // 5. Proofs: a case's inclusion bundle built and checked; whole-log verify with and without the tree.
    if !options.skip.contains("proofs") {
        let caseNumbers = Array(Set(workload.requests.map(\.stream)))
        var build50: [Double] = [], build99: [Double] = [], check50: [Double] = [], check99: [Double] = []
        var eventsPerCase = 0.0
        for _ in 0 ..< options.repetitions {
            let l = try ProofBench.bundleLatencies(store: store, cases: caseNumbers, samples: options.smoke ? 500 : 5_000)
            build50.append(l.build50); build99.append(l.build99); check50.append(l.check50); check99.append(l.check99)
            eventsPerCase = l.events
        }
        let size = try store.treeHead().size
        let perCase = String(format: "%.1f", eventsPerCase)
        rows.append(ResultRow(name: "inclusion bundle build p50 (\(perCase) events, log of \(size))", unit: "µs",
                              ledger: Sample(values: build50), higherIsBetter: false))
        rows.append(ResultRow(name: "inclusion bundle build p99", unit: "µs", ledger: Sample(values: build99),
                              target: "< 1000 µs", higherIsBetter: false))
        rows.append(ResultRow(name: "bundle check p50 (signature + paths)", unit: "µs", ledger: Sample(values: check50), higherIsBetter: false))
        rows.append(ResultRow(name: "bundle check p99", unit: "µs", ledger: Sample(values: check99), target: "< 1000 µs",
                              higherIsBetter: false))
        let withTree = try await measure { try ProofBench.verify(store: store) }
        let chainOnlyStore = try EventStore(directory: ProofBench.chainOnlyCopy(of: keptStore, into: scratch + "/chain-only"),
                                            codec: CaseEventCodec(), options: .init(readOnly: true))
        let chainOnly = try await measure { try ProofBench.verify(store: chainOnlyStore) }
        rows.append(ResultRow(name: "whole-log verify, chain + tree (events/s)", unit: "events/s", ledger: withTree))
        rows.append(ResultRow(name: "whole-log verify, chain only (as before the tree)", unit: "events/s", ledger: chainOnly))
        var chainNs: [Double] = [], bothNs: [Double] = []
        for _ in 0 ..< options.repetitions {
            let (chain, both) = ProofBench.writerHashing(records: workload.records)
            chainNs.append(chain)
            bothNs.append(both)
        }
        rows.append(ResultRow(name: "writer hashing an event, chain only (CPU)", unit: "ns", ledger: Sample(values: chainNs),
                              higherIsBetter: false))
        rows.append(ResultRow(name: "writer hashing an event, chain + leaf + node (CPU)", unit: "ns", ledger: Sample(values: bothNs),
                              higherIsBetter: false))
    }

    // 6. Peak RSS of a full rebuild, in a child process.
    for events in options.skip.contains("memory") ? [] : options.memoryEvents {
        let dir = scratch + "/memory-\(events)"
        let size = try await MemoryRun.fillStore(events: events, seed: options.seed, directory: dir)
        let (rss, rate) = try MemoryRun.childRebuild(storeDirectory: dir)
        try? FileManager.default.removeItem(atPath: dir)
        rows.append(ResultRow(name: "peak RSS, rebuild of \(size) events", unit: "MiB", ledger: Sample(values: [rss]),
                              target: size >= 10_000_000 ? "< 512 MiB" : nil, higherIsBetter: false))
        rows.append(ResultRow(name: "rebuild rate, \(size) events", unit: "events/s", ledger: Sample(values: [rate])))
    }
}

print("")
printTable(rows)

struct Report: Encodable {
    var date: String
    var machine: String
    var workloadEvents: Int
    var repetitions: Int
    var rows: [ResultRow]
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
let report = Report(date: ISO8601DateFormatter().string(from: Date()), machine: machine, workloadEvents: workload.eventCount,
                    repetitions: options.repetitions, rows: rows)
let jsonURL = URL(fileURLWithPath: options.json)
try? FileManager.default.createDirectory(at: jsonURL.deletingLastPathComponent(), withIntermediateDirectories: true)
try encoder.encode(report).write(to: jsonURL)
print("\nresults: \(jsonURL.path)")
