import Foundation
import LMDB

/// The ledger: an append-only, hash-chained log of case events in an LMDB environment.
///
/// ```swift
/// let store = try EventStore(directory: "ledger-data/events")
/// let result = try await store.append(to: caseNumber, expected: .noStream, events: [submitted])
/// ```
/// Appends are durable when they return (fsync), and concurrent appends share one commit.
/// Reads never block appends and see a consistent snapshot.
public final class EventStore: Sendable {
    /// How the store is opened.
    public struct Options: Sendable {
        /// Initial map size; the map doubles by itself when full.
        public var initialMapSize: Int = 256 << 20
        /// Open for reading only (auditors): appends fail with a permission error.
        public var readOnly: Bool = false
        /// fsync every commit. Turn off only for throwaway stores.
        public var durable: Bool = true
        public init(initialMapSize: Int = 256 << 20, readOnly: Bool = false, durable: Bool = true) {
            self.initialMapSize = initialMapSize
            self.readOnly = readOnly
            self.durable = durable
        }
    }

    let storage: LogStorage
    private let notifier: CommitNotifier
    private let writer: GroupCommitter?
    public let directory: String

    /// Opens (creating if needed) the store in `directory`.
    /// - Throws: `LMDBError` when the directory is not a store or cannot be opened;
    ///   `LedgerError.unsupportedFormat` when a newer program wrote it.
    public init(directory: String, options: Options = .init()) throws {
        self.directory = directory
        let configuration = EnvironmentConfiguration(
            mapSize: options.initialMapSize, maxDatabases: 8, maxReaders: 512,
            durable: options.durable, readOnly: options.readOnly)
        let storage = try LogStorage(directory: directory, configuration: configuration)
        let notifier = CommitNotifier()
        notifier.committed(through: try storage.environment.read { try storage.head($0) }.seq)
        self.storage = storage
        self.notifier = notifier
        writer = options.readOnly ? nil : GroupCommitter(storage: storage, notifier: notifier)
    }

    deinit { writer?.stop() }

    // MARK: Appending

    /// Appends `events` to one case, atomically, and returns once they are on disk.
    ///
    /// - Throws: `LedgerError.wrongExpectedVersion` (nothing written) when the case is not at
    ///   `expected`; `.idConflict` when an event id is recorded with other content. When every
    ///   event id is already recorded with the same content, nothing is appended and the original
    ///   positions are returned (`alreadyRecorded`).
    public func append(to caseNumber: CaseNumber, expected: ExpectedVersion, events: [NewEvent]) async throws -> AppendResult {
        let encoded = try EncodedAppend(AppendRequest(caseNumber: caseNumber, expected: expected, events: events))
        let writer = try requireWriter()
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.append(encoded) { continuation.resume(with: $0) })
        }
    }

    /// The blocking form of `append`, for plain threads. Do not call it from a task.
    public func appendAndWait(to caseNumber: CaseNumber, expected: ExpectedVersion, events: [NewEvent]) throws -> AppendResult {
        let encoded = try EncodedAppend(AppendRequest(caseNumber: caseNumber, expected: expected, events: events))
        let writer = try requireWriter()
        let done = DispatchSemaphore(value: 0)
        let outcome = ResultBox<AppendResult>()
        writer.submit(.append(encoded) { result in
            outcome.set(result)
            done.signal()
        })
        done.wait()
        return try outcome.get()
    }

    /// Appends several cases' events in one transaction: all of them, or — when any is refused —
    /// none (`BatchAppendError` names which). Used by import.
    public func appendAll(_ requests: [AppendRequest]) async throws -> [AppendResult] {
        var encoded: [EncodedAppend] = []
        encoded.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            do { encoded.append(try EncodedAppend(request)) } catch { throw BatchAppendError(index: index, error: error) }
        }
        let writer = try requireWriter()
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.atomic(encoded) { continuation.resume(with: $0) })
        }
    }

    private func requireWriter() throws -> GroupCommitter {
        guard let writer else { throw LMDBError(code: EACCES, operation: "append to a store opened read-only") }
        return writer
    }

    // MARK: Reading

    /// The last appended event's seq and chain hash (`0` and the genesis hash when empty).
    public func digest() throws -> ChainDigest {
        try storage.environment.read { try storage.head($0) }
    }

    /// The case's last version, or nil when it has no events.
    public func version(of caseNumber: CaseNumber) throws -> UInt32? {
        let count = try storage.environment.read { try storage.eventCount(of: caseNumber, $0) }
        return count == 0 ? nil : UInt32(count - 1)
    }

    /// The case's events from `version` on, in order.
    public func events(of caseNumber: CaseNumber, from version: UInt32 = 0) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(of: caseNumber, from: version) { events.append($0.recorded()) }
        return events
    }

    /// Calls `body` with each of the case's events from `version` on, read in place.
    public func forEachEvent(of caseNumber: CaseNumber, from version: UInt32 = 0,
                             _ body: (EventView) throws -> Void) throws {
        try storage.environment.read { txn in
            try txn.withCursor(storage.cases) { cursor in
                guard try cursor.seek(exactly: caseNumber.rawValue) != nil else { return }
                var index: UInt32 = 0
                var entry = try cursor.current()
                while let (_, value) = entry {
                    if index >= version {
                        _ = try storage.withIndexedRecord(value, of: caseNumber, version: index, txn, body)
                    }
                    index += 1
                    entry = try cursor.nextDuplicate()
                }
            }
        }
    }

    /// Up to `limit` events of the whole log from `seq` on.
    public func read(from seq: UInt64, limit: Int = 1000) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(min(limit, 4096))
        try scan(from: seq) { view in
            events.append(view.recorded())
            return events.count < limit
        }
        return events
    }

    /// Calls `body` with each event from `seq` on, in order, in one read snapshot, until it
    /// returns false. The fastest way through the log: nothing is copied.
    /// - Returns: the last seq handed to `body` (or `seq - 1` when none).
    @discardableResult
    public func scan(from seq: UInt64, _ body: (EventView) throws -> Bool) throws -> UInt64 {
        try storage.environment.read { txn in
            try txn.withCursor(storage.log) { cursor in
                var last = max(seq, 1) - 1
                var entry = try cursor.seek(atLeast: max(seq, 1))
                while let (key, value) = entry {
                    let current = try UInt64(lmdbBytes: key)
                    last = current
                    guard try body(try EventView(seq: current, record: value)) else { break }
                    entry = try cursor.next()
                }
                return last
            }
        }
    }

    /// Every event from `seq` on, in order, then each new one as it is appended through this
    /// store. Cancel the consuming task to stop.
    public func subscribe(from seq: UInt64 = 1) -> EventSubscription {
        EventSubscription(store: self, from: max(seq, 1))
    }

    /// Returns once an event after `seq` is committed through this store (or the task is cancelled).
    public func waitForAppend(after seq: UInt64) async { await notifier.wait(after: seq) }

    /// Calls `body` with up to `limit` events from `seq` on, read in place in one snapshot.
    /// The views are valid only inside `body`.
    public func withEvents<R>(from seq: UInt64, limit: Int, _ body: ([EventView]) throws -> R) throws -> R {
        try storage.environment.read { txn in
            var views: [EventView] = []
            views.reserveCapacity(min(limit, 65_536))
            try txn.withCursor(storage.log) { cursor in
                var entry = try cursor.seek(atLeast: max(seq, 1))
                while let (key, value) = entry, views.count < limit {
                    views.append(try EventView(seq: try UInt64(lmdbBytes: key), record: value))
                    entry = try cursor.next()
                }
            }
            return try body(views)
        }
    }

    /// Drops this process's resident copies of the log's pages after a long scan (they stay in
    /// the OS page cache); see `Environment.releaseMappedPages()`.
    public func releaseMappedPages() { storage.environment.releaseMappedPages() }

    /// Counts and sizes.
    public func statistics() throws -> StoreStatistics {
        try storage.environment.read { txn in
            StoreStatistics(events: try txn.count(storage.log),
                            cases: try txn.withCursor(storage.cases) { cursor in
                                var n = 0
                                var entry = try cursor.first()
                                while entry != nil { n += 1; entry = try cursor.nextKey() }
                                return n
                            },
                            head: try storage.head(txn),
                            bytesOnDisk: fileSize(directory + "/data.mdb"),
                            mapSize: storage.environment.mapSize)
        }
    }
}

/// What `EventStore.statistics()` reports.
public struct StoreStatistics: Sendable {
    public var events: Int
    /// Streams, the catalog's included.
    public var cases: Int
    public var head: ChainDigest
    public var bytesOnDisk: Int
    public var mapSize: Int
}

private func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_blocks) * 512 : 0
}

/// Carries a result from the writer thread to a blocked caller.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, any Error>?
    private let lock = NSLock()
    func set(_ r: Result<T, any Error>) { lock.withLock { result = r } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}

extension EventStore {
    /// The seq of the event with this id, or nil when it is not in the log.
    public func seq(ofEventID id: UUID) throws -> UInt64? {
        try storage.environment.read { txn in try txn.get(storage.ids, idKey(id)) }
    }
}
