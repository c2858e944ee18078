import CaseDomain
import LMDB
import Ledger

/// A view's copy of the catalog (item code → item), folded from the catalog stream's events.
public struct CatalogTable {
    let database: Database<String, [UInt8]>
    private var cache: [String: CatalogItem?] = [:]
    private var dirty: Set<String> = []

    public init(_ database: Database<String, [UInt8]>) { self.database = database }

    public mutating func item(_ code: String, in txn: ReadTransaction) throws -> CatalogItem? {
        if let cached = cache[code] { return cached }
        let item = try txn.withValue(database, code) { raw -> CatalogItem? in
            if case .itemPublished(let item) = try EventData(type: .itemPublished, payload: raw) { return item }
            return nil
        } ?? nil
        cache[code] = item
        return item
    }

    /// Folds a catalog event in.
    public mutating func apply(_ data: EventData) {
        switch data {
        case .itemPublished(let item), .itemRevised(let item):
            cache[item.code] = item
            dirty.insert(item.code)
        default: break
        }
    }

    public func flush(_ txn: WriteTransaction) throws {
        for code in dirty.sorted() {
            if let item = cache[code] ?? nil { try txn.put(database, code, EventData.itemPublished(item).encoded()) }
        }
    }

    /// Every item of a view's catalog table, in code order.
    public static func all(from db: Database<String, [UInt8]>, in txn: ReadTransaction) throws -> [CatalogItem] {
        try txn.withCursor(db) { cursor in
            var items: [CatalogItem] = []
            var entry = try cursor.first()
            while let (_, value) = entry {
                if case .itemPublished(let item) = try EventData(type: .itemPublished, payload: value) { items.append(item) }
                entry = try cursor.next()
            }
            return items
        }
    }
}
