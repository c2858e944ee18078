// Toy projections and helpers shared by the ProjectionKit tests: two small deterministic views
// (a counter per event type, a per-case event list), a hook to make `apply` fail, block or go
// slowly, and byte-level dumps of the views environment.
import Foundation
import LMDB
import Ledger
import ProjectionKit
import TestSupport

// MARK: Hook

/// A fault injected by `ApplyHook`.
struct InjectedFault: Error, Equatable {
    let seq: UInt64
}

/// Lets a test reach into `apply`: fail on a seq, block once on a gate, slow every batch down,
/// and record the seq range of every batch handed over. Shared by reference between the test and
/// the projection value the runner holds.
final class ApplyHook: @unchecked Sendable {
    private let lock = NSLock()
    private var failOnSeq: UInt64?
    private var gateArmed = false
    private var delayMicros: UInt32 = 0
    private var ranges: [ClosedRange<UInt64>] = []
    /// Signalled when a gated `apply` starts waiting.
    let entered = DispatchSemaphore(value: 0)
    /// Signal it to let the gated `apply` go on.
    let release = DispatchSemaphore(value: 0)

    init(failOn: UInt64? = nil, delayMicros: UInt32 = 0) {
        failOnSeq = failOn
        self.delayMicros = delayMicros
    }

    /// The seq whose batch throws `InjectedFault` (nil: none).
    var failOn: UInt64? {
        get { lock.withLock { failOnSeq } }
        set { lock.withLock { failOnSeq = newValue } }
    }

    /// The next `apply` blocks (once) until `release` is signalled.
    func armGate() { lock.withLock { gateArmed = true } }

    /// The seq ranges of the batches applied so far (including batches whose transaction aborted later).
    var calls: [ClosedRange<UInt64>] { lock.withLock { ranges } }
    func resetCalls() { lock.withLock { ranges.removeAll() } }

    func willApply(_ events: ArraySlice<EventView>) throws {
        guard let first = events.first?.seq, let last = events.last?.seq else { return }
        let (fail, gated, delay) = lock.withLock { () -> (UInt64?, Bool, UInt32) in
            defer { gateArmed = false }
            return (failOnSeq, gateArmed, delayMicros)
        }
        if gated {
            entered.signal()
            // Never hang a test run: a gate nobody opens gives up after a while.
            guard release.wait(timeout: .now() + 60) == .success else { throw GateTimedOut() }
        }
        if let fail, first <= fail, fail <= last { throw InjectedFault(seq: fail) }
        if delay > 0 { usleep(delay) }
        lock.withLock { ranges.append(first ... last) }
    }

    struct GateTimedOut: Error {}
}

// MARK: Toy projections

/// Two toy read models in one type, so tests and the crash child build them the same way.
///
/// - `typeCounts`: `counts` event type name → number of events (v2 prefixes the keys with `v2:`),
///   `seen` seq → times applied (must stay 1: exactly once), and in v1 only `legacy`
///   `total` → number of events (v2 drops that database: a layout change).
/// - `caseEvents`: `byCase` case number → its seqs (dupSort, fixed 8 bytes), `lastType` case
///   number → the type code of its last event (v2 stores the type name instead).
///
/// `limit` ignores events after that seq: a clean build "up to a checkpoint" for comparisons.
struct Toy: Projection {
    enum Kind: String, Sendable, CaseIterable {
        case typeCounts, caseEvents
    }

    var kind: Kind
    var version: Int = 1
    var hook: ApplyHook?
    var limit: UInt64?

    init(_ kind: Kind, version: Int = 1, hook: ApplyHook? = nil, limit: UInt64? = nil) {
        self.kind = kind
        self.version = version
        self.hook = hook
        self.limit = limit
    }

    var name: ViewName { ViewName(kind.rawValue) }

    var databases: [ViewDatabase] {
        switch kind {
        case .typeCounts:
            version == 1 ? [ViewDatabase("counts"), ViewDatabase("seen"), ViewDatabase("legacy")]
                : [ViewDatabase("counts"), ViewDatabase("seen")]
        case .caseEvents:
            [ViewDatabase("byCase", flags: [.dupSort, .dupFixed]), ViewDatabase("lastType")]
        }
    }

    /// A runner over `store` with both toy projections, in batches of 7 events so that every
    /// test crosses many batch boundaries.
    static func runner(_ store: EventStore, _ views: TemporaryDirectory, hook: ApplyHook) throws -> ProjectionRunner {
        let runner = try ProjectionRunner(store: store, directory: views.path, projections: all(hook: hook))
        runner.batchSize = 7
        return runner
    }

    func apply(_ batch: EventBatch, to view: ViewWriter) throws {
        let events = batch.events
        try hook?.willApply(events)
        let txn = view.transaction
        switch kind {
        case .typeCounts:
            let counts: Database<String, UInt64> = view.databases("counts")
            let seen: Database<UInt64, UInt64> = view.databases("seen")
            let legacy: Database<String, UInt64>? = version == 1 ? view.databases("legacy") : nil
            for event in events where limit.map({ event.seq <= $0 }) ?? true {
                let key = version == 1 ? event.typeCode.name : "v\(version):\(event.typeCode.name)"
                try txn.put(counts, key, (try txn.get(counts, key) ?? 0) + 1)
                try txn.put(seen, event.seq, (try txn.get(seen, event.seq) ?? 0) + 1)
                if let legacy { try txn.put(legacy, "total", (try txn.get(legacy, "total") ?? 0) + 1) }
            }
        case .caseEvents:
            let byCase: Database<String, UInt64> = view.databases("byCase")
            let lastType: Database<String, [UInt8]> = view.databases("lastType")
            for event in events where limit.map({ event.seq <= $0 }) ?? true {
                let caseNumber = event.stream.rawValue
                try txn.put(byCase, caseNumber, event.seq)
                try txn.put(lastType, caseNumber, version == 1 ? [event.typeCode.rawValue] : Array(event.typeCode.name.utf8))
            }
        }
    }

    /// Both toys at the given versions.
    static func all(version: Int = 1, hook: ApplyHook? = nil, limit: UInt64? = nil) -> [Toy] {
        Kind.allCases.map { Toy($0, version: version, hook: hook, limit: limit) }
    }
}

// MARK: Events

enum ToyEvents {
    static let types: [EventTypeCode] = [1, 4, 12, 11, 14, 18].map { EventTypeCode(rawValue: $0) }

    /// Event `n`: deterministic id, type, time, case and payload, so two stores fed the same
    /// numbers hold the same log.
    static func request(_ n: Int) -> AppendRequest {
        let caseNumber = LedgerFixture.stream("TOY-\(n % 7)")
        let type = types[(n &* 5 &+ n / 3) % types.count]
        return AppendRequest(stream: caseNumber, expected: .any,
                             events: [LedgerFixture.event(n, id: LedgerFixture.id(n), type: type, payloadSize: 8)])
    }

    /// Appends events `range` in order (one seq each), a few dozen per transaction.
    static func append(_ range: Range<Int>, to store: EventStore) async throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + 40, range.upperBound)
            _ = try await store.appendAll((start ..< end).map(request))
            start = end
        }
    }

    /// A throwaway store holding events `0 ..< count`.
    static func store(_ count: Int, label: String = "projkit-store") async throws -> TemporaryEventStore {
        let temporary = try TemporaryEventStore(label, durable: false)
        try await append(0 ..< count, to: temporary.store)
        return temporary
    }
}

// MARK: Dumps

/// One key/value pair, as stored.
struct Entry: Hashable, CustomStringConvertible {
    let key: [UInt8]
    let value: [UInt8]
    var description: String { "\(key) → \(value)" }
}

/// Every pair of a database, in LMDB order (duplicates included).
func entries(_ txn: ReadTransaction, _ db: RawDatabase) throws -> [Entry] {
    try txn.withCursor(db) { cursor in
        var out: [Entry] = []
        var entry = try cursor.first()
        while let (key, value) = entry {
            out.append(Entry(key: Array(key), value: Array(value)))
            entry = try cursor.next()
        }
        return out
    }
}

/// A projection's live view through the public API: database name → pairs, and the checkpoint.
struct LiveView: Equatable {
    var databases: [String: [Entry]]
    var checkpoint: UInt64
}

func liveView(_ runner: ProjectionRunner, _ projection: any Projection) throws -> LiveView {
    try runner.read(projection.name) { reader in
        var out: [String: [Entry]] = [:]
        for spec in projection.databases {
            out[spec.name] = try entries(reader.transaction, reader.databases(spec.name))
        }
        return LiveView(databases: out, checkpoint: reader.checkpoint)
    }
}

/// The views environment opened directly, below `ProjectionRunner`. LMDB forbids opening one
/// environment twice in a process: release every runner on the directory first.
enum RawViews {
    /// Every named database of the environment with all its pairs.
    static func dump(_ path: String) throws -> [String: [Entry]] {
        let environment = try Environment(path: path, configuration: .init(maxDatabases: 256, durable: false))
        return try environment.write { txn in
            var out: [String: [Entry]] = [:]
            for name in try txn.databaseNames() {
                let db: RawDatabase = try txn.openDatabase(name)
                out[name] = try entries(txn, db)
            }
            return out
        }
    }

    /// The names of the environment's databases.
    static func names(_ path: String) throws -> [String] {
        let environment = try Environment(path: path, configuration: .init(maxDatabases: 256, durable: false))
        return try environment.write { txn in try txn.databaseNames() }
    }

    /// From a full dump: generation `generation` of `projection`, by database name (without the
    /// `name/generation/` prefix).
    static func generation(_ dump: [String: [Entry]], _ projection: String, _ generation: Int) -> [String: [Entry]] {
        let prefix = "\(projection)/\(generation)/"
        var out: [String: [Entry]] = [:]
        for (name, pairs) in dump where name.hasPrefix(prefix) { out[String(name.dropFirst(prefix.count))] = pairs }
        return out
    }

    /// A projection's record in a dump (database `projections`), decoded as `ProjectionRecord`
    /// lays it out: u32 version, live, building, buildingVersion; u64 checkpoint, buildingCheckpoint
    /// (little-endian).
    struct Record: Equatable {
        var version, live, building, buildingVersion: UInt32
        var checkpoint, buildingCheckpoint: UInt64
    }

    static func record(_ dump: [String: [Entry]], _ projection: String) -> Record? {
        guard let bytes = dump["projections"]?.first(where: { $0.key == Array(projection.utf8) })?.value,
              bytes.count == 32 else { return nil }
        func u32(_ i: Int) -> UInt32 { (0 ..< 4).reduce(0) { $0 | UInt32(bytes[i + $1]) << (8 * $1) } }
        func u64(_ i: Int) -> UInt64 { (0 ..< 8).reduce(0) { $0 | UInt64(bytes[i + $1]) << (8 * $1) } }
        return Record(version: u32(0), live: u32(4), building: u32(8), buildingVersion: u32(12),
                      checkpoint: u64(16), buildingCheckpoint: u64(24))
    }

    /// Opens a runner on the views (which deletes the databases of retired generations), releases
    /// it, and dumps the environment.
    static func settledDump(_ store: EventStore, _ path: String, _ projections: [any Projection]) throws -> [String: [Entry]] {
        do { _ = try ProjectionRunner(store: store, directory: path, projections: projections) }
        return try dump(path)
    }

    /// The generations of `projection` present in a dump.
    static func generations(_ dump: [String: [Entry]], _ projection: String) -> Set<Int> {
        Set(dump.keys.compactMap { name -> Int? in
            let parts = name.split(separator: "/")
            guard parts.count == 3, parts[0] == projection else { return nil }
            return Int(parts[1])
        })
    }
}

/// A clean build of `projections` over `store` into a fresh views directory, dumped through the
/// raw environment: projection name → database name → pairs (generation 1).
func cleanBuild(_ store: EventStore, _ projections: [any Projection], batchSize: Int = 50_000) throws -> [String: [String: [Entry]]] {
    let directory = TemporaryDirectory("projkit-clean")
    do {
        let runner = try ProjectionRunner(store: store, directory: directory.path, projections: projections)
        runner.batchSize = batchSize
        try runner.catchUp()
    }
    let dump = try RawViews.dump(directory.path)
    var out: [String: [String: [Entry]]] = [:]
    for projection in projections { out[projection.name.rawValue] = RawViews.generation(dump, projection.name.rawValue, 1) }
    return out
}

/// Runs `body` on a thread of its own (work that blocks, off the test's task).
final class BackgroundJob: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<Void, any Error>?

    init(_ body: @escaping @Sendable () throws -> Void) {
        Thread { [self] in
            let result = Result { try body() }
            lock.withLock { outcome = result }
            done.signal()
        }.start()
    }

    /// The job's outcome, or nil when it did not finish within `seconds`.
    func wait(seconds: Double) -> Result<Void, any Error>? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()
        return lock.withLock { outcome }
    }
}

extension EventTypeCode {
    /// The toys' name for a type: the store gives types no names of its own.
    var name: String { "t\(rawValue)" }
}

extension ViewName {
    static let typeCounts = ViewName(Toy.Kind.typeCounts.rawValue)
    static let caseEvents = ViewName(Toy.Kind.caseEvents.rawValue)
}
