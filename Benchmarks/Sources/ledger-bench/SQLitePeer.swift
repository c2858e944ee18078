import CSQLite
import Foundation

/// The peer a user would pick instead: an SQLite event table with the same guarantees —
/// WAL, `synchronous=FULL` (every commit fsynced), `UNIQUE(case, version)` for optimistic
/// concurrency and a unique index on the event id for idempotency — written with prepared
/// statements. `data` holds the same record bytes the ledger stores.
final class SQLiteEventTable: @unchecked Sendable {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    let path: String

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(path: String, createSchema: Bool = true) throws {
        self.path = path
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            throw Failure(description: "open \(path)")
        }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=FULL")
        try exec("PRAGMA busy_timeout=60000")
        if createSchema {
            try exec("""
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    event_id BLOB NOT NULL,
                    UNIQUE (case_id, version))
                """)
            try exec("CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events(event_id)")
        }
        guard sqlite3_prepare_v2(db, "INSERT INTO events (seq, case_id, version, type, data, event_id) VALUES (?, ?, ?, ?, ?, ?)",
                                 -1, &insert, nil) == SQLITE_OK else { throw Failure(description: message) }
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close_v2(db)
    }

    private var message: String { String(cString: sqlite3_errmsg(db)) }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw Failure(description: "\(sql.prefix(40)): \(message)") }
    }

    /// Inserts one event; `seq` nil lets SQLite number it (concurrent writers).
    func insert(seq: Int64?, caseNumber: String, version: Int64, type: Int32, record: UnsafeRawBufferPointer, id: [UInt8]) throws {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        if let seq { sqlite3_bind_int64(insert, 1, seq) } else { sqlite3_bind_null(insert, 1) }
        sqlite3_bind_text(insert, 2, caseNumber, -1, transient)
        sqlite3_bind_int64(insert, 3, version)
        sqlite3_bind_int(insert, 4, type)
        sqlite3_bind_blob(insert, 5, record.baseAddress, Int32(record.count), transient)
        id.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 6, $0.baseAddress, 16, transient) }
        let rc = sqlite3_step(insert)
        sqlite3_reset(insert)
        guard rc == SQLITE_DONE else { throw Failure(description: "insert: \(message)") }
    }

    /// Reads rows in seq order from `after` + 1, at most `limit`, handing each row's seq and data.
    func scan(after: Int64, limit: Int, _ body: (Int64, UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT seq, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", -1, &stmt, nil) == SQLITE_OK else {
            throw Failure(description: message)
        }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, after)
        sqlite3_bind_int64(stmt, 2, Int64(limit))
        var n = 0
        while sqlite3_step(stmt) == SQLITE_ROW {
            let seq = sqlite3_column_int64(stmt, 0)
            let bytes = sqlite3_column_blob(stmt, 1)
            let count = Int(sqlite3_column_bytes(stmt, 1))
            try body(seq, UnsafeRawBufferPointer(start: bytes, count: count))
            n += 1
        }
        return n
    }

    /// One row's data by case and version (the history read path).
    func history(of caseNumber: String, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT data FROM events WHERE case_id = ? ORDER BY version", -1, &stmt, nil) == SQLITE_OK else {
            throw Failure(description: message)
        }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_text(stmt, 1, caseNumber, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        while sqlite3_step(stmt) == SQLITE_ROW {
            body(UnsafeRawBufferPointer(start: sqlite3_column_blob(stmt, 0), count: Int(sqlite3_column_bytes(stmt, 0))))
        }
    }
}
