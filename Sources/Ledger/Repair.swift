import Foundation
import LMDB

/// What `EventStore.repair(directory:)` did.
public struct RepairReport: Sendable, Equatable {
    /// Records copied from the log (and so entries written to each index).
    public var records: Int
    public var cases: Int
    /// The head of the log, unchanged by the repair.
    public var head: ChainDigest
    /// Where the damaged store was kept (nil when there was nothing to repair).
    public var keptDamaged: String?
}

extension EventStore {
    /// Rebuilds the store's indexes from its log: the log is the truth, the `cases` and `ids`
    /// indexes are derived from it.
    ///
    /// The damaged environment is not written to: its index pages may be the damaged ones, and
    /// liblmdb walks them to free them. Instead the log's records are copied, byte for byte, into
    /// a new environment beside it (`DIR.repairing`) with freshly built indexes; then the damaged
    /// directory is renamed to `DIR.damaged-N` and the new one takes its place. No other process
    /// may use the store meanwhile.
    ///
    /// - Throws: `VerificationFailure` when the log's chain does not verify: a damaged log needs a
    ///   backup, not a repair; nothing is changed then.
    public static func repair(directory: String, codec: any EventCodec, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> RepairReport {
        let fresh = directory + ".repairing"
        try? FileManager.default.removeItem(atPath: fresh)
        let (records, cases, head) = try {
            let damaged = try EventStore(directory: directory, codec: codec, options: .init(readOnly: true))
            let head = try damaged.verify().digest
            let target = try LogStorage(directory: fresh, configuration: EnvironmentConfiguration(
                mapSize: max(256 << 20, damaged.storage.environment.usedBytes * 2), maxDatabases: 8))
            let (records, cases) = try damaged.copyLog(into: target, progress: progress)
            try target.environment.sync()
            return (records, cases, head)
        }()
        let kept = try nextFreeName(directory + ".damaged")
        try FileManager.default.moveItem(atPath: directory, toPath: kept)
        try FileManager.default.moveItem(atPath: fresh, toPath: directory)
        return RepairReport(records: records, cases: cases, head: head, keptDamaged: kept)
    }

    /// Copies every record into `target`'s log and indexes it there, in one transaction.
    private func copyLog(into target: LogStorage, progress: ((Int, Int) -> Void)?) throws -> (records: Int, cases: Int) {
        try storage.environment.read { source in
            let total = try source.count(storage.log)
            return try target.environment.write { txn in
                var done = 0
                var cases = 0
                try txn.withWriteCursor(target.log) { log in
                    try source.withCursor(storage.log) { cursor in
                        var entry = try cursor.first()
                        while let (key, value) = entry {
                            let seq = try UInt64(lmdbBytes: key)
                            let view = try EventView(seq: seq, record: value)
                            if view.version == 0 { cases += 1 }
                            try log.put(seq, Array(value), flags: .append)
                            // Seqs ascend, so each case's seqs arrive in order.
                            try txn.put(target.cases, String(decoding: view.streamBytes, as: UTF8.self), seq, flags: .appendDuplicate)
                            try txn.put(target.ids, idKey(view.id), seq, flags: .noOverwrite)
                            done += 1
                            if let progress, done % 65_536 == 0 { progress(done, total) }
                            entry = try cursor.next()
                        }
                    }
                }
                progress?(total, total)
                return (done, cases)
            }
        }
    }
}

/// `base-1`, `base-2`, … : the first that does not exist.
func nextFreeName(_ base: String) throws -> String {
    for n in 1 ... 1000 where !FileManager.default.fileExists(atPath: "\(base)-\(n)") { return "\(base)-\(n)" }
    throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: base])
}
