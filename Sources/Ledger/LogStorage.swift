import Foundation
import LMDB

/// The events environment and its four databases. Shared by the writer thread and readers.
final class LogStorage: Sendable {
    let environment: Environment
    /// seq (big-endian u64) → stored record.
    let log: Database<UInt64, [UInt8]>
    /// stream id → its seqs in order (dupsort, fixed 8-byte values).
    let cases: Database<String, UInt64>
    /// event id (16 bytes) → seq.
    let ids: Database<EventIDKey, UInt64>
    /// "format" → u32.
    let meta: Database<String, UInt32>
    /// Merkle tree node → hash (see `TreeNodeKey`); nil in a store opened read-only before its upgrade.
    let tree: Database<TreeNodeKey, StoredTreeHash>?

    /// The on-disk layout version of the databases (not of single records, see `RecordFormat`).
    /// 3 added the `tree` database (an older program would append without extending the tree);
    /// 4 stopped storing the tree's two lowest levels (a format-3 program would find them missing).
    static let storeFormat: UInt32 = 4

    init(directory: String, configuration: EnvironmentConfiguration) throws {
        if !configuration.readOnly { try LogStorage.createIfAbsent(directory: directory, configuration: configuration) }
        environment = try Environment(path: directory, configuration: configuration)
        if configuration.readOnly {
            log = try environment.openDatabase("log")
            cases = try environment.openDatabase("cases", flags: [.dupSort, .dupFixed])
            ids = try environment.openDatabase("ids")
            meta = try environment.openDatabase("meta")
            tree = try? environment.openDatabase("tree")
        } else {
            (log, cases, ids, meta, tree) = try environment.write { txn in
                (try txn.openDatabase("log"),
                 try txn.openDatabase("cases", flags: [.dupSort, .dupFixed]),
                 try txn.openDatabase("ids"),
                 try txn.openDatabase("meta"),
                 try txn.openDatabase("tree"))
            }
        }
        let format = try environment.read { txn in try txn.get(meta, "format") }
        if let format, format > LogStorage.storeFormat {
            throw LedgerError.unsupportedFormat(found: format, supported: LogStorage.storeFormat)
        }
        if !configuration.readOnly {
            // The upgrade step (a no-op when the tree is current): build the tree of the records it lacks.
            try buildTree()
            if format != LogStorage.storeFormat {
                try environment.write { txn in try txn.put(meta, "format", LogStorage.storeFormat) }
            }
        }
    }

    /// The last record's seq and hash, read inside the transaction (never cached: another
    /// process may have appended since).
    func head(_ txn: ReadTransaction) throws -> ChainDigest {
        try txn.withCursor(log) { cursor in
            guard let last = try cursor.last() else { return ChainDigest(seq: 0, hash: .genesis) }
            let seq = try UInt64(lmdbBytes: last.key)
            guard last.value.count >= 32 else { throw LedgerError.corruptRecord(seq: seq, reason: "too short") }
            return ChainDigest(seq: seq, hash: ChainHash(bytes: UnsafeRawBufferPointer(rebasing: last.value[(last.value.count - 32)...])))
        }
    }

    /// Number of events in the stream (its next version).
    func eventCount(of stream: StreamID, _ txn: ReadTransaction) throws -> Int {
        try txn.withCursor(cases) { cursor in
            try cursor.seek(exactly: stream.rawValue) == nil ? 0 : try cursor.duplicateCount()
        }
    }

    func withRecord<R>(seq: UInt64, _ txn: ReadTransaction, _ body: (EventView) throws -> R) throws -> R? {
        try txn.withValue(log, seq) { raw in try body(try EventView(seq: seq, record: raw)) }
    }
}
