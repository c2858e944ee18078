import LMDB
import LedgerProofs

extension ChainHash {
    /// Whether these 32 bytes are `root` (a published digest names the tree root; one printed
    /// before the tree existed names the chain hash, compared separately).
    func matches(_ root: TreeHash?) -> Bool {
        guard let root else { return false }
        return withBytes { mine in root.withBytes { mine.elementsEqual($0) } }
    }
}

extension TreeNodeKey: Equatable {
    /// The key of a stored node, or an impossible one when the bytes are not a key.
    init(_ bytes: UnsafeRawBufferPointer) {
        self = (try? TreeNodeKey(lmdbBytes: bytes)) ?? TreeNodeKey(lastLeaf: .max, level: .max)
    }

    static func == (a: TreeNodeKey, b: TreeNodeKey) -> Bool { a.lastLeaf == b.lastLeaf && a.level == b.level }
}

extension LogStorage {
    /// Runs `body` with a cursor on the tree database, or nil when the store has none (read-only, not upgraded).
    func withTreeCursor<R>(_ txn: ReadTransaction, _ body: (Cursor?) throws -> R) throws -> R {
        guard let tree else { return try body(nil) }
        return try txn.withCursor(tree) { try body($0) }
    }
}
