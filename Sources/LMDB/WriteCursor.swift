import CLMDB

/// A cursor that writes, kept open across many puts in one write transaction: appending at the
/// end of a database through it costs no descent from the root (LMDB remembers the position).
/// It exists only inside `WriteTransaction.withWriteCursor`.
public struct WriteCursor<Key: LMDBBytes, Value: LMDBBytes> {
    @usableFromInline let handle: OpaquePointer
    @usableFromInline let nameID: UInt32

    @usableFromInline
    init(_ handle: OpaquePointer, nameID: UInt32) {
        self.handle = handle
        self.nameID = nameID
    }

    @usableFromInline var name: String { DatabaseNames.name(of: nameID) }

    /// Stores `value` under `key`. With `.append`, the key must sort after every key in the
    /// database, else `.keyExists` is thrown and nothing is written.
    @inlinable
    public func put(_ key: Key, _ value: Value, flags: PutFlags = []) throws {
        let code = withMDBVal(key) { k in withMDBVal(value) { v in mdb_cursor_put(handle, &k, &v, flags.rawValue) } }
        try check(code, "mdb_cursor_put \(name)")
    }

    /// The number of values under `key` in a `dupSort` database (0 when the key is absent);
    /// leaves the cursor on `key`.
    @inlinable
    public func valueCount(of key: Key) throws -> Int {
        var value = MDB_val()
        let code = withMDBVal(key) { k in mdb_cursor_get(handle, &k, &value, MDB_SET) }
        if code == MDB_NOTFOUND { return 0 }
        try check(code, "mdb_cursor_get \(name)")
        var count = 0
        try check(mdb_cursor_count(handle, &count), "mdb_cursor_count \(name)")
        return count
    }

    /// Reserves `count` bytes under `key` and lets `body` fill them in place.
    @inlinable
    public func put(_ key: Key, reserving count: Int, flags: PutFlags = [],
                    _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var value = MDB_val(mv_size: count, mv_data: nil)
        let code = withMDBVal(key) { k in mdb_cursor_put(handle, &k, &value, flags.rawValue | UInt32(MDB_RESERVE)) }
        try check(code, "mdb_cursor_put \(name)")
        try body(UnsafeMutableRawBufferPointer(start: value.mv_data, count: count))
    }
}

extension WriteTransaction {
    /// Runs `body` with a writing cursor on `db`; the cursor closes when `body` returns.
    @inlinable
    public func withWriteCursor<K, V, R>(_ db: Database<K, V>, _ body: (WriteCursor<K, V>) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, db.dbi, &cursor), "mdb_cursor_open \(db.name)")
        defer { mdb_cursor_close(cursor) }
        return try body(WriteCursor(cursor!, nameID: db.nameID))
    }
}
