import Synchronization
import CLMDB

/// Flags a database is created with. They are stored in the database; open it with the same flags.
public struct DatabaseFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Several sorted values per key.
    public static let dupSort = DatabaseFlags(rawValue: UInt32(MDB_DUPSORT))
    /// With `dupSort`: all values of a key have the same size (stored packed).
    public static let dupFixed = DatabaseFlags(rawValue: UInt32(MDB_DUPFIXED))
}

/// Flags for one put.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `.keyExists` instead of overwriting.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// In a `dupSort` database: fail with `.keyExists` if this exact key/value pair exists.
    public static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// The key sorts after every key in the database (fast bulk loading); `.keyExists` otherwise.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// The value sorts after every value of its key (`dupSort` bulk loading).
    public static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

/// A named database inside an `Environment`, with its key and value types.
///
/// A handle is a plain number, valid for the environment's lifetime; it holds no data.
///
/// It is a plain value with no reference inside (its name is kept in a registry), so passing it
/// around on the hot path costs no reference counting.
public struct Database<Key: LMDBBytes, Value: LMDBBytes>: Sendable {
    @usableFromInline let dbi: MDB_dbi
    @usableFromInline let nameID: UInt32
    public let flags: DatabaseFlags

    @usableFromInline
    init(dbi: MDB_dbi, nameID: UInt32, flags: DatabaseFlags) {
        self.dbi = dbi
        self.nameID = nameID
        self.flags = flags
    }

    init(dbi: MDB_dbi, name: String, flags: DatabaseFlags) {
        self.init(dbi: dbi, nameID: DatabaseNames.id(of: name), flags: flags)
    }

    /// The name the database was opened with.
    public var name: String { DatabaseNames.name(of: nameID) }
}

/// The names of opened databases, by a small number, for error messages.
@usableFromInline
enum DatabaseNames {
    private static let table = Mutex<(names: [String], ids: [String: UInt32])>(([], [:]))

    static func id(of name: String) -> UInt32 {
        table.withLock { table in
            if let id = table.ids[name] { return id }
            table.names.append(name)
            let id = UInt32(table.names.count - 1)
            table.ids[name] = id
            return id
        }
    }

    @usableFromInline
    static func name(of id: UInt32) -> String { table.withLock { Int(id) < $0.names.count ? $0.names[Int(id)] : "#\(id)" } }
}

/// A database of raw bytes, for code that decodes in place.
public typealias RawDatabase = Database<[UInt8], [UInt8]>

extension Database {
    /// The same database seen with other key and value types (the bytes are unchanged).
    public func retyped<K: LMDBBytes, V: LMDBBytes>(as: Database<K, V>.Type = Database<K, V>.self) -> Database<K, V> {
        Database<K, V>(dbi: dbi, nameID: nameID, flags: flags)
    }
}
