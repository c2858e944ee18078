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

extension LogStorage {
    /// The first seq in the range whose stored leaf hash is not its record's, or — when every
    /// leaf is right but an interior node is not — the first seq under a wrong node.
    func firstTreeMismatch(from first: UInt64, through last: UInt64, _ txn: ReadTransaction) throws -> UInt64 {
        var frontier = try TreeFrontier(size: first - 1) { level, index in try subtree(level, index, txn) }
        var bad: UInt64?
        try txn.withCursor(log) { cursor in
            var entry = try cursor.seek(atLeast: first)
            while let (key, value) = entry, bad == nil {
                let seq = try UInt64(lmdbBytes: key)
                if seq > last { break }
                frontier.append(leaf: MerkleHashing.leaf(value)) { level, index, hash in
                    let stored = try? subtree(level, index, txn)
                    if stored != hash, bad == nil { bad = index << UInt64(level) + 1 }
                }
                entry = try cursor.next()
            }
        }
        return bad ?? first
    }
}
