import CLMDB

/// A position in a database. It exists only inside `withCursor`; the key and value buffers it
/// returns are valid only until the cursor moves or the transaction ends — copy what you keep.
public struct Cursor {
    /// One entry as LMDB holds it.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer
    let nameID: UInt32

    init(_ handle: OpaquePointer, nameID: UInt32) {
        self.handle = handle
        self.nameID = nameID
    }

    var name: String { DatabaseNames.name(of: nameID) }

    private func move(_ op: MDB_cursor_op) throws -> Entry? {
        var key = MDB_val()
        var value = MDB_val()
        let code = mdb_cursor_get(handle, &key, &value, op)
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_cursor_get \(name)")
        return (key.buffer, value.buffer)
    }

    private func move<K: LMDBBytes>(_ op: MDB_cursor_op, key: K) throws -> Entry? {
        var value = MDB_val()
        var found = MDB_val()
        let code = withMDBVal(key) { k -> Int32 in
            let code = mdb_cursor_get(handle, &k, &value, op)
            found = k
            return code
        }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_cursor_get \(name)")
        return (found.buffer, value.buffer)
    }

    public func first() throws -> Entry? { try move(MDB_FIRST) }
    public func last() throws -> Entry? { try move(MDB_LAST) }
    public func next() throws -> Entry? { try move(MDB_NEXT) }
    public func previous() throws -> Entry? { try move(MDB_PREV) }
    public func current() throws -> Entry? { try move(MDB_GET_CURRENT) }
    /// Moves to exactly `key`.
    public func seek<K: LMDBBytes>(exactly key: K) throws -> Entry? { try move(MDB_SET_KEY, key: key) }
    /// Moves to the first key ≥ `key`.
    public func seek<K: LMDBBytes>(atLeast key: K) throws -> Entry? { try move(MDB_SET_RANGE, key: key) }

    // Duplicates (dupSort databases)
    public func firstDuplicate() throws -> Entry? { try move(MDB_FIRST_DUP) }
    public func lastDuplicate() throws -> Entry? { try move(MDB_LAST_DUP) }
    public func nextDuplicate() throws -> Entry? { try move(MDB_NEXT_DUP) }
    public func nextKey() throws -> Entry? { try move(MDB_NEXT_NODUP) }
    /// Number of values under the current key.
    public func duplicateCount() throws -> Int {
        var count = 0
        try check(mdb_cursor_count(handle, &count), "mdb_cursor_count \(name)")
        return count
    }
}
