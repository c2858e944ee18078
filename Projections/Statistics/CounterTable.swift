import LMDB

/// Named integer counters grouped under keys (e.g. `window|W03|2023Q3` → [completed, onTime, …]),
/// kept in one view database as fixed-width little-endian Int64 arrays. Cached for one batch.
public struct CounterTable {
    let database: Database<String, [UInt8]>
    /// Counters per key.
    public let width: Int
    private var cache: [String: [Int64]] = [:]

    public init(_ database: Database<String, [UInt8]>, width: Int) {
        self.database = database
        self.width = width
    }

    /// Adds `delta` to counter `index` under `key`.
    public mutating func add(_ delta: Int64, at index: Int, key: String, in txn: ReadTransaction) throws {
        if cache[key] == nil { cache[key] = try CounterTable.read(key, from: database, width: width, in: txn) }
        cache[key]![index] += delta
    }

    public func flush(_ txn: WriteTransaction) throws {
        for key in cache.keys.sorted() {
            let values = cache[key]!
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
            try txn.put(database, key, bytes)
        }
    }

    /// The counters under `key` (zeros when absent).
    public static func read(_ key: String, from db: Database<String, [UInt8]>, width: Int, in txn: ReadTransaction) throws -> [Int64] {
        try txn.withValue(db, key) { decode($0, width: width) } ?? Array(repeating: 0, count: width)
    }

    /// Every key starting with `prefix`, in key order, with its counters.
    public static func scan(prefix: String, from db: Database<String, [UInt8]>, width: Int,
                            in txn: ReadTransaction) throws -> [(key: String, values: [Int64])] {
        try txn.withCursor(db) { cursor in
            var out: [(String, [Int64])] = []
            var entry = try cursor.seek(atLeast: prefix)
            while let (key, value) = entry {
                let k = String(decoding: key, as: UTF8.self)
                guard k.hasPrefix(prefix) else { break }
                out.append((k, decode(value, width: width)))
                entry = try cursor.next()
            }
            return out
        }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, width: Int) -> [Int64] {
        var values = (0 ..< raw.count / 8).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        // A counter added later in the view's life reads as 0 in older rows.
        if values.count < width { values += Array(repeating: 0, count: width - values.count) }
        return values
    }
}
