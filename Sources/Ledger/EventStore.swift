import Foundation
import LMDB

/// The log: an append-only, hash-chained sequence of events in an LMDB environment, grouped in
/// streams. It knows no domain: a stream id, a type code and payload bytes, which the domain's
/// `EventCodec` checks before anything is written.
///
/// ```swift
/// let store = try EventStore(directory: "ledger-data/events", codec: CaseEventCodec())
/// let result = try await store.append(to: stream, expected: .noStream, events: [event])
/// ```
/// Appends are durable when they return (fsync), and concurrent appends share one commit.
/// Reads never block appends and see a consistent snapshot.
public final class EventStore: Sendable {
    /// How the store is opened.
    public struct Options: Sendable {
        /// Initial map size; the map doubles by itself when full.
        public var initialMapSize: Int = 256 << 20
        /// Open for reading only (auditors): appends fail with `LedgerError.readOnlyStore`.
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
    let notifier: CommitNotifier
    private let writer: GroupCommitter?
    /// Checks every event before it is appended.
    public let codec: any EventCodec
    public let directory: String

    /// Opens the store in `directory`, creating it (and missing parent folders) unless read-only.
    /// - Throws: `LedgerError.cannotCreateStore` when the folder cannot be made; `LMDBError` when
    ///   the directory is not a store or cannot be opened; `LedgerError.unsupportedFormat` when a
    ///   newer program wrote it.
    public init(directory: String, codec: any EventCodec, options: Options = .init()) throws {
        self.directory = directory
        self.codec = codec
        if !options.readOnly {
            if let failure = makeDirectories(directory) {
                throw LedgerError.cannotCreateStore(directory: directory, reason: failure)
            }
        }
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

    /// Appends `events` to one stream, atomically, and returns once they are on disk.
    ///
    /// - Throws: `LedgerError.invalidPayload` (nothing written) when the codec refuses an event;
    ///   `.wrongExpectedVersion` when the stream is not at `expected`; `.idConflict` when an event
    ///   id is recorded with other content; `.readOnlyStore`. When every event id is already
    ///   recorded with the same content, nothing is appended and the original positions are
    ///   returned (`alreadyRecorded`).
    public func append(to stream: StreamID, expected: ExpectedVersion, events: [NewEvent]) async throws -> AppendResult {
        let encoded = try EncodedAppend(AppendRequest(stream: stream, expected: expected, events: events), codec: codec)
        let writer = try requireWriter()
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.append(encoded) { continuation.resume(with: $0) })
        }
    }

    /// The blocking form of `append`, for plain threads. Do not call it from a task.
    public func appendAndWait(to stream: StreamID, expected: ExpectedVersion, events: [NewEvent]) throws -> AppendResult {
        let encoded = try EncodedAppend(AppendRequest(stream: stream, expected: expected, events: events), codec: codec)
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

    /// Appends several streams' events in one transaction: all of them, or — when any is refused —
    /// none (`BatchAppendError` names the first refused request, in the batch's order). A large
    /// batch is encoded while the writer stores the part already encoded.
    public func appendAll(_ requests: [AppendRequest]) async throws -> [AppendResult] {
        try await appendAll(requests, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `appendAll` as on a machine of `cores` cores.
    func appendAll(_ requests: [AppendRequest], cores: Int) async throws -> [AppendResult] {
        let writer = try requireWriter()
        let batch = EncodedBatch(requests, codec: codec)
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.atomic(batch) { continuation.resume(with: $0) })
            batch.encodeBesideWriter(cores: cores)
        }
    }

    func requireWriter() throws(LedgerError) -> GroupCommitter {
        guard let writer else { throw .readOnlyStore(directory: directory) }
        return writer
    }

    // MARK: Reading
    //
    // Two forms over the same two selections (the whole log from a seq, or one stream from a
    // version): `events` copies what it reads and may be kept; `scan` lends each record in place
    // for the length of one call of `body`, in one read snapshot, and copies nothing.

    /// The last appended event's seq and chain hash (`0` and the genesis hash when empty).
    public func digest() throws -> ChainDigest {
        try storage.environment.read { try storage.head($0) }
    }

    /// The stream's last version, or nil when it has no events.
    public func version(of stream: StreamID) throws -> UInt32? {
        let count = try storage.environment.read { try storage.eventCount(of: stream, $0) }
        return count == 0 ? nil : UInt32(count - 1)
    }

    /// Up to `limit` events of the whole log from `seq` on, copied.
    public func events(from seq: UInt64, limit: Int = 1000) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(min(limit, 4096))
        guard limit > 0 else { return events }
        try scan(from: seq) { view in
            events.append(view.recorded())
            return events.count < limit
        }
        return events
    }

    /// Up to `limit` of the stream's events from `version` on, in order, copied.
    public func events(of stream: StreamID, from version: UInt32 = 0, limit: Int = .max) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        guard limit > 0 else { return events }
        try scan(of: stream, from: version) { view in
            events.append(view.recorded())
            return events.count < limit
        }
        return events
    }

    /// Calls `body` with each event from `seq` on, in order, in one read snapshot, until it
    /// returns false or the log ends. The fastest way through the log: nothing is copied.
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

    /// Calls `body` with each of the stream's events from `version` on, in order, in one read
    /// snapshot, until it returns false. Nothing is copied.
    public func scan(of stream: StreamID, from version: UInt32 = 0, _ body: (EventView) throws -> Bool) throws {
        try storage.environment.read { txn in
            try txn.withCursor(storage.cases) { cursor in
                guard try cursor.seek(exactly: stream.rawValue) != nil else { return }
                var index: UInt32 = 0
                var entry = try cursor.current()
                while let (_, value) = entry {
                    if index >= version {
                        guard try storage.withIndexedRecord(value, of: stream, version: index, txn, body) else { return }
                    }
                    index += 1
                    entry = try cursor.nextDuplicate()
                }
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

    /// Calls `body` with up to `limit` events from `seq` on, read in place in one snapshot: the
    /// projection runner's batch read. The views are valid only inside `body`.
    package func withEvents<R>(from seq: UInt64, limit: Int, _ body: ([EventView]) throws -> R) throws -> R {
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
                            streams: try txn.withCursor(storage.cases) { cursor in
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
    public var streams: Int
    public var head: ChainDigest
    public var bytesOnDisk: Int
    public var mapSize: Int
}

/// `mkdir -p`: creates `path` and its missing parents. Returns nil on success, else the system's
/// one-line reason naming the folder that could not be made.
func makeDirectories(_ path: String) -> String? {
    var st = stat()
    if stat(path, &st) == 0 {
        return (st.st_mode & S_IFMT) == S_IFDIR ? nil : "\(path) exists and is not a folder"
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path, let failure = makeDirectories(parent) { return failure }
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
        return "\(path): " + String(cString: strerror(errno))
    }
    return nil
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
