import CLMDB

/// A read-only snapshot. It exists only inside `Environment.read` (or as the read side of a
/// write transaction); buffers it hands out are valid only inside that closure.
public class ReadTransaction {
    @usableFromInline let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    /// A copy of the value stored under `key`, or nil.
    @inlinable
    public func get<K, V>(_ db: Database<K, V>, _ key: K) throws -> V? {
        try withValue(db, key) { try V(lmdbBytes: $0) }
    }

    /// Calls `body` with the bytes stored under `key` without copying them; nil if absent.
    /// The buffer is valid only inside `body`.
    @inlinable
    public func withValue<K, V, R>(_ db: Database<K, V>, _ key: K,
                                   _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        var value = MDB_val()
        let code = withMDBVal(key) { k in mdb_get(handle, db.dbi, &k, &value) }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_get \(db.name)")
        return try body(value.buffer)
    }

    /// Whether `key` is present.
    public func contains<K, V>(_ db: Database<K, V>, _ key: K) throws -> Bool {
        try withValue(db, key) { _ in true } ?? false
    }

    /// Number of entries (key/value pairs, counting duplicates).
    public func count<K, V>(_ db: Database<K, V>) throws -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, db.dbi, &stat), "mdb_stat \(db.name)")
        return stat.ms_entries
    }

    /// Runs `body` with a cursor on `db`; the cursor closes when `body` returns.
    public func withCursor<K, V, R>(_ db: Database<K, V>, _ body: (Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, db.dbi, &cursor), "mdb_cursor_open \(db.name)")
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(cursor!, nameID: db.nameID))
    }

    func openExisting<K, V>(_ name: String, flags: DatabaseFlags) throws -> Database<K, V> {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(handle, name, flags.rawValue, &dbi), "open database \(name)")
        return Database(dbi: dbi, name: name, flags: flags)
    }
}

/// The environment's single write transaction. It exists only inside `Environment.write`.
public final class WriteTransaction: ReadTransaction {
    /// Opens (creating it if needed) a named database.
    public func openDatabase<K, V>(_ name: String, flags: DatabaseFlags = []) throws -> Database<K, V> {
        try openExisting(name, flags: flags.union(DatabaseFlags(rawValue: UInt32(MDB_CREATE))))
            .withFlags(flags)
    }

    /// Stores `value` under `key`.
    /// - Throws: `.keyExists` when a flag forbids overwriting; `.mapFull` (handled by `write`).
    @inlinable
    public func put<K, V>(_ db: Database<K, V>, _ key: K, _ value: V, flags: PutFlags = []) throws {
        let code = withMDBVal(key) { k in
            withMDBVal(value) { v in mdb_put(handle, db.dbi, &k, &v, flags.rawValue) }
        }
        try check(code, "mdb_put \(db.name)")
    }

    /// Reserves `count` bytes under `key` and lets `body` fill them in place (no intermediate copy).
    @inlinable
    public func put<K, V>(_ db: Database<K, V>, _ key: K, reserving count: Int, flags: PutFlags = [],
                          _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var value = MDB_val(mv_size: count, mv_data: nil)
        let code = withMDBVal(key) { k in
            mdb_put(handle, db.dbi, &k, &value, flags.rawValue | UInt32(MDB_RESERVE))
        }
        try check(code, "mdb_put \(db.name)")
        try body(UnsafeMutableRawBufferPointer(start: value.mv_data, count: count))
    }

    /// Deletes `key` (every value of it in a `dupSort` database). Returns false if it was absent.
    @discardableResult
    @inlinable
    public func delete<K, V>(_ db: Database<K, V>, _ key: K) throws -> Bool {
        let code = withMDBVal(key) { k in mdb_del(handle, db.dbi, &k, nil) }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del \(db.name)")
        return true
    }

    /// Deletes one key/value pair of a `dupSort` database. Returns false if it was absent.
    @discardableResult
    public func delete<K, V>(_ db: Database<K, V>, _ key: K, value: V) throws -> Bool {
        let code = withMDBVal(key) { k in withMDBVal(value) { v in mdb_del(handle, db.dbi, &k, &v) } }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del \(db.name)")
        return true
    }

    /// Removes every entry of `db`, keeping the database.
    public func empty<K, V>(_ db: Database<K, V>) throws {
        try check(mdb_drop(handle, db.dbi, 0), "mdb_drop \(db.name)")
    }

    /// Deletes `db` and everything in it. Its handle is invalid afterwards (in every transaction).
    public func deleteDatabase<K, V>(_ db: Database<K, V>) throws {
        try check(mdb_drop(handle, db.dbi, 1), "mdb_drop \(db.name)")
    }

    /// The names of the environment's named databases (the keys of its main database).
    public func databaseNames() throws -> [String] {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(handle, nil, 0, &dbi), "open main database")
        let main = Database<[UInt8], [UInt8]>(dbi: dbi, name: "main", flags: [])
        return try withCursor(main) { cursor in
            var names: [String] = []
            var entry = try cursor.first()
            while let (key, _) = entry {
                names.append(String(decoding: key, as: UTF8.self))
                entry = try cursor.next()
            }
            return names
        }
    }
}

extension Database {
    func withFlags(_ flags: DatabaseFlags) -> Database { Database(dbi: dbi, nameID: nameID, flags: flags) }
}
