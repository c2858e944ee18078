import CLMDB

/// An error reported by LMDB: its result code and LMDB's own message.
///
/// Match a family of codes with the static members:
/// ```swift
/// catch let error as LMDBError where error == .mapFull { … }
/// ```
public struct LMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// LMDB's result code (`MDB_*` or an `errno` value).
    public let code: Int32
    /// What was being done when LMDB failed, e.g. `"mdb_put"`.
    public let operation: String

    /// Set when the data file was refused before mapping (see `DataFileCheck`).
    public let damage: DataFileDamage?

    public init(code: Int32, operation: String = "") {
        self.code = code
        self.operation = operation
        damage = nil
    }

    /// A data file refused before it was mapped; its code is `MDB_CORRUPTED`.
    public init(damage: DataFileDamage) {
        code = MDB_CORRUPTED
        operation = "check data file"
        self.damage = damage
    }

    /// LMDB's text for the code.
    public var message: String { String(cString: mdb_strerror(code)) }

    public var description: String {
        if let damage { return damage.description }
        return operation.isEmpty ? "LMDB error \(code): \(message)" : "\(operation): \(message) (LMDB code \(code))"
    }

    /// Two errors are equal when their codes are equal; the operation is context only.
    public static func == (lhs: LMDBError, rhs: LMDBError) -> Bool { lhs.code == rhs.code }

    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    public static let readersFull = LMDBError(code: MDB_READERS_FULL)
    public static let databasesFull = LMDBError(code: MDB_DBS_FULL)
    public static let transactionFull = LMDBError(code: MDB_TXN_FULL)
    public static let badValueSize = LMDBError(code: MDB_BAD_VALSIZE)
    public static let incompatible = LMDBError(code: MDB_INCOMPATIBLE)
    public static let corrupted = LMDBError(code: MDB_CORRUPTED)
}

/// Throws an `LMDBError` unless `code` is `MDB_SUCCESS`.
@inlinable @inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != MDB_SUCCESS { throw LMDBError(code: code, operation: operation()) }
}
