import CaseDomain
import CaseStateProjection
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import HallViews
import Ledger
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics

/// This ledger, through its public API.
enum LedgerPeer {
    static func openStore(_ directory: String) throws -> EventStore {
        try EventStore(directory: directory, codec: CaseEventCodec(), options: .init(initialMapSize: 1 << 30))
    }

    /// Bulk append: the workload's batches, each one `appendAll` (one durable commit).
    static func bulk(_ workload: Workload, directory: String) async throws -> Double {
        let store = try openStore(directory)
        let start = nanoseconds()
        for batch in workload.batches { _ = try await store.appendAll(Array(workload.requests[batch])) }
        return Double(workload.eventCount) / secondsSince(start)
    }

    /// Durable concurrent appends: `writers` tasks, each appending `each` single events to its own
    /// case and waiting for each to be on disk.
    static func durable(writers: Int, each: Int, payloads: RecordSet, directory: String) async throws -> Double {
        let store = try openStore(directory)
        let start = nanoseconds()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0 ..< writers {
                group.addTask {
                    let caseNumber = try CaseNumber("BENCH-\(w)")
                    for i in 0 ..< each {
                        let (type, payload) = try payloads.withRecord((w * each + i) % payloads.count) { raw in
                            let view = try EventView(seq: 1, record: raw)
                            return (view.typeCode, Array(view.payload))
                        }
                        _ = try await store.append(to: caseNumber, expected: i == 0 ? .noStream : .exact(UInt32(i - 1)),
                                                   events: [NewEvent(type: type, at: Timestamp(milliseconds: 1_690_000_000_000 + Int64(i)),
                                                                     actor: "clerk-07", payload: payload)])
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(writers * each) / secondsSince(start)
    }

    static func projections() throws -> [any Projection] {
        let calendar = try Repository.calendar()
        let rules = try HallRules.load(from: Repository.root.appendingPathComponent("seeds/rules.json"))
        return HallViews(calendar: calendar, rules: rules).all
    }

    /// Full rebuild of the four views over the store: events per second of log read.
    static func rebuild(store: EventStore, viewsDirectory: String) throws -> Double {
        let runner = try ProjectionRunner(store: store, directory: viewsDirectory, projections: try projections())
        let start = nanoseconds()
        try runner.rebuild()
        return Double(try store.digest().seq) / secondsSince(start)
    }

    /// Case-state lookups (one read transaction each): latencies in µs.
    static func caseLookups(runner: ProjectionRunner, cases: [CaseNumber]) throws -> [Double] {
        var latencies: [Double] = []
        latencies.reserveCapacity(cases.count)
        for caseNumber in cases {
            let start = nanoseconds()
            let file = try runner.read(.caseState) { reader in
                try CaseFileTable.read(caseNumber, from: reader.databases("cases"), in: reader.transaction)
            }
            latencies.append(Double(nanoseconds() - start) / 1000)
            precondition(file != nil, "case \(caseNumber) missing from the view")
        }
        return latencies
    }

    /// Reading a whole case history (decoded, owned copies): µs per call.
    static func history(store: EventStore, caseNumber: CaseNumber, repetitions: Int) throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0 ..< repetitions {
            let start = nanoseconds()
            let events = try store.events(of: caseNumber)
            for event in events { _ = try event.data() }
            latencies.append(Double(nanoseconds() - start) / 1000)
        }
        return latencies
    }
}

/// The SQLite peer's runs.
enum SQLitePeer {
    static func bulk(records: RecordSet, batches: [Int], path: String) throws -> Double {
        let table = try SQLiteEventTable(path: path)
        let start = nanoseconds()
        var next = 0
        for size in batches {
            try table.exec("BEGIN")
            for i in next ..< next + size {
                try records.withRecord(i) { bytes in
                    try table.insert(seq: Int64(i + 1), caseNumber: records.caseNumbers[i], version: Int64(records.versions[i]),
                                     type: Int32(records.types[i]), record: bytes, id: records.ids[i])
                }
            }
            try table.exec("COMMIT")
            next += size
        }
        return Double(records.count) / secondsSince(start)
    }

    /// One transaction per event from `writers` threads. SQLite has one writer at a time and no
    /// group commit; the fastest way for threads of one process is one connection behind a lock
    /// (connections of their own would contend in SQLite's busy handler, which sleeps — far slower).
    static func durable(writers: Int, each: Int, records: RecordSet, path: String) throws -> Double {
        let table = try SQLiteEventTable(path: path)
        let lock = NSLock()
        let failures = ManagedCounter()
        let finished = DispatchSemaphore(value: 0)
        let start = nanoseconds()
        for w in 0 ..< writers {
            Thread {
                defer { finished.signal() }
                for i in 0 ..< each {
                    let r = (w * each + i) % records.count
                    var id = records.ids[r]
                    // Distinct ids for the repeated payloads.
                    id[0] = UInt8(truncatingIfNeeded: w)
                    id[1] = UInt8(truncatingIfNeeded: i)
                    id[2] = UInt8(truncatingIfNeeded: i >> 8)
                    do {
                        try lock.withLock {
                            try table.exec("BEGIN IMMEDIATE")
                            try records.withRecord(r) { bytes in
                                try table.insert(seq: nil, caseNumber: "BENCH-\(w)", version: Int64(i), type: 12, record: bytes, id: id)
                            }
                            try table.exec("COMMIT")
                        }
                    } catch {
                        failures.increment()
                        FileHandle.standardError.write(Data("sqlite writer: \(error)\n".utf8))
                        return
                    }
                }
            }.start()
        }
        for _ in 0 ..< writers { finished.wait() }
        let rate = Double(writers * each) / secondsSince(start)
        guard failures.value == 0 else { throw SQLiteEventTable.Failure(description: "\(failures.value) SQLite writers failed") }
        return rate
    }

    /// Reads the log out of SQLite and applies the same projection code into fresh views.
    static func rebuild(path: String, viewsDirectory: String, batch: Int) throws -> Double {
        let table = try SQLiteEventTable(path: path, createSchema: false)
        let views = try DetachedViews(directory: viewsDirectory, projections: try LedgerPeer.projections())
        let start = nanoseconds()
        var after: Int64 = 0
        var total = 0
        var buffer: [UInt8] = []
        var spans: [(seq: UInt64, range: Range<Int>)] = []
        while true {
            buffer.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            let n = try table.scan(after: after, limit: batch) { seq, data in
                let start = buffer.count
                buffer.append(contentsOf: data)
                spans.append((UInt64(seq), start ..< buffer.count))
                after = seq
            }
            if n == 0 { break }
            try buffer.withUnsafeBytes { raw in
                let events = try spans.map { try EventView(seq: $0.seq, record: UnsafeRawBufferPointer(rebasing: raw[$0.range])) }
                try views.apply(events[...])
            }
            total += n
        }
        return Double(total) / secondsSince(start)
    }
}

final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
