import Foundation
import LMDB

/// A backup written and checked by `EventStore.backup(to:)`, or a log put in place by `restore`.
public struct BackupReport: Sendable, Equatable {
    /// The copy's head: its digest, checked by re-hashing the copy.
    public var digest: ChainDigest
    /// Size of the copy's data file.
    public var bytes: Int
    /// The event log directory written.
    public var directory: String
    /// Where the log that was replaced was kept (restore only).
    public var replaced: String?
}

/// A backup or restore source that is not a usable log.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension EventStore {
    /// Writes a compacted copy of the log to `directory` (which must not hold a log yet) while
    /// the store keeps taking appends, then verifies the copy — its chain and its indexes — as a
    /// restore would. The copy is one consistent snapshot: its digest is a prefix of the log's.
    public func backup(to directory: String) throws -> BackupReport {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: directory + "/data.mdb") {
            throw BackupError(description: "\(directory) already holds a log; back up into a new directory")
        }
        try storage.environment.copy(to: directory, compact: true)
        return try EventStore.checkedCopy(at: directory, codec: codec)
    }

    /// Verifies the log in `directory` fully (chain and indexes), without writing to it.
    static func checkedCopy(at directory: String, codec: any EventCodec) throws -> BackupReport {
        let copy = try EventStore(directory: directory, codec: codec, options: .init(readOnly: true))
        let verified = try copy.verify()
        _ = try copy.verifyIndexes()
        let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb"))?[.size] as? Int
        return BackupReport(digest: verified.digest, bytes: size ?? 0, directory: directory)
    }

    /// Puts the log of a backup (`source`, a log directory) in place of the log in `directory`:
    /// the source is verified, copied beside the target (`DIR.restoring`), verified again, and
    /// then swapped in; the replaced log is kept as `DIR.replaced-N`. Views built on the
    /// replaced log see that their anchor is gone and rebuild themselves.
    /// No ledger process may use the store meanwhile.
    public static func restore(from source: String, into directory: String, codec: any EventCodec) throws -> BackupReport {
        guard FileManager.default.fileExists(atPath: source + "/data.mdb") else {
            throw BackupError(description: "\(source) holds no log (no data.mdb)")
        }
        let staging = directory + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let original = try EventStore(directory: source, codec: codec, options: .init(readOnly: true))
            _ = try original.verify()
            _ = try original.verifyIndexes()
            try original.storage.environment.copy(to: staging, compact: true)
        }
        var report = try checkedCopy(at: staging, codec: codec)
        if FileManager.default.fileExists(atPath: directory) {
            let kept = try nextFreeName(directory + ".replaced")
            try FileManager.default.moveItem(atPath: directory, toPath: kept)
            report.replaced = kept
        }
        try FileManager.default.moveItem(atPath: staging, toPath: directory)
        report.directory = directory
        return report
    }
}
