import LMDB

/// The ledger's LMDB environment opened directly, below `EventStore`, to plant or alter stored
/// records (tamper tests, legacy records). LMDB forbids opening one environment twice in a
/// process: release every `EventStore` on the directory first, and release this value before
/// opening an `EventStore` again.
public final class RawLedger {
    public let environment: Environment
    /// seq (big-endian u64) → stored record.
    public let log: Database<UInt64, [UInt8]>
    /// case number → its seqs (dupSort, fixed 8-byte values).
    public let cases: Database<String, UInt64>
    /// event id (16 bytes) → seq.
    public let ids: Database<[UInt8], UInt64>

    public init(path: String) throws {
        environment = try Environment(path: path, configuration: .init(maxDatabases: 8))
        log = try environment.openDatabase("log")
        cases = try environment.openDatabase("cases", flags: [.dupSort, .dupFixed])
        ids = try environment.openDatabase("ids")
    }

    /// A copy of the stored record at `seq`.
    public func record(_ seq: UInt64) throws -> [UInt8]? {
        try environment.read { txn in try txn.get(log, seq) }
    }

    /// Rewrites the stored record at `seq` in place, bypassing every check of the ledger.
    public func alterRecord(_ seq: UInt64, _ change: (inout [UInt8]) -> Void) throws {
        try environment.write { txn in
            guard var bytes = try txn.get(log, seq) else { throw LMDBError.notFound }
            change(&bytes)
            try txn.put(log, seq, bytes)
        }
    }
}
