import CaseDomain
import Foundation
import Ledger
import Simulator

/// The same generated events for every peer: the simulator's mix, payloads as the ledger
/// stores them, grouped into per-case appends and into batches of about `batchEvents` events.
struct Workload {
    let requests: [AppendRequest]
    /// Ranges of `requests`, each about `batchEvents` events.
    let batches: [Range<Int>]
    let eventCount: Int
    /// Stored record bytes of every event, filled by the first ledger run (the peers store
    /// exactly these bytes).
    var records = RecordSet()

    init(cases: Int, seed: UInt64, batchEvents: Int) throws {
        let simulator = DistrictSimulator(seeds: try Repository.seeds(), calendar: try Repository.calendar(),
                                          config: SimulationConfig(year: 2023, seed: seed, cases: cases))
        var all = AppendBatch()
        _ = try simulator.run { all.add($0) }
        let requests = all.requests
        let count = all.eventCount
        var batches: [Range<Int>] = []
        var start = 0, inBatch = 0
        for (i, request) in requests.enumerated() {
            inBatch += request.events.count
            if inBatch >= batchEvents {
                batches.append(start ..< i + 1)
                start = i + 1
                inBatch = 0
            }
        }
        if start < requests.count { batches.append(start ..< requests.count) }
        self.requests = requests
        self.batches = batches
        eventCount = count
    }

    /// Events in each batch, in order.
    var batchEventCounts: [Int] { batches.map { r in requests[r].reduce(0) { $0 + $1.events.count } } }
}

/// Stored records, back to back in one buffer.
struct RecordSet {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    var caseNumbers: [String] = []
    var versions: [UInt32] = []
    var types: [UInt8] = []
    var ids: [[UInt8]] = []

    var count: Int { offsets.count - 1 }

    mutating func add(_ view: EventView) {
        bytes.append(contentsOf: view.record)
        offsets.append(bytes.count)
        caseNumbers.append(String(decoding: view.caseBytes, as: UTF8.self))
        versions.append(view.version)
        types.append(view.typeCode.rawValue)
        ids.append(withUnsafeBytes(of: view.id.uuid) { Array($0) })
    }

    func withRecord<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offsets[i] ..< offsets[i + 1]])) }
    }
}

/// Where the repository's reference data is (this file is Benchmarks/Sources/ledger-bench/…).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func seeds() throws -> DistrictSeeds { try DistrictSeeds.load(directory: root.appendingPathComponent("seeds")) }
    static func calendar() throws -> WorkCalendar {
        try WorkCalendar.load(directory: root.appendingPathComponent("seeds/calendars"))
    }
}

/// A fresh directory for one run, removed afterwards.
@MainActor func withScratchDirectory<R>(_ body: (String) async throws -> R) async rethrows -> R {
    let dir = NSTemporaryDirectory() + "ledger-bench-\(getpid())-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}
