import LMDB
import LedgerProofs

/// Where a complete subtree's hash is kept in the `tree` database: the index of its last leaf
/// (big-endian u64), then its level (u8). A subtree is complete the moment its last leaf is
/// appended, so keys are written in increasing order (append-puts, no search), and any subtree
/// (level, index) is found by computing its key.
struct TreeNodeKey: LMDBBytes {
    let lastLeaf: UInt64
    let level: UInt8

    /// Subtrees of 1 and 2 leaves are not stored (store format 4): they are re-hashed from their
    /// one or two records when a proof needs them. That leaves half a node a record to store
    /// instead of two, and a proof reads at most two records more.
    static let lowestStoredLevel = 2

    init(level: Int, index: UInt64) {
        self.level = UInt8(level)
        lastLeaf = (index + 1) << UInt64(level) - 1
    }

    init(lastLeaf: UInt64, level: UInt8) {
        self.lastLeaf = lastLeaf
        self.level = level
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError) {
        guard lmdbBytes.count == 9 else { throw LMDBError(code: -30_781, operation: "decode tree node key") }
        lastLeaf = UInt64(bigEndian: lmdbBytes.loadUnaligned(as: UInt64.self))
        level = lmdbBytes[8]
    }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var bytes = (lastLeaf.bigEndian, level)
        return try withUnsafeBytes(of: &bytes) { try body(UnsafeRawBufferPointer(rebasing: $0[0 ..< 9])) }
    }
}

/// A tree node hash as an LMDB value (32 bytes).
struct StoredTreeHash: LMDBBytes {
    let hash: TreeHash
    init(_ hash: TreeHash) { self.hash = hash }
    init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError) {
        guard lmdbBytes.count == 32 else { throw LMDBError(code: -30_781, operation: "decode tree node hash") }
        hash = TreeHash(bytes: lmdbBytes)
    }
    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try hash.withBytes(body) }
}

/// The right edge of the tree while appending: the root of each complete subtree that a tree of
/// `size` leaves decomposes into (one per set bit of `size`, largest first).
struct TreeFrontier {
    private(set) var size: UInt64
    /// `roots[level]` is meaningful where bit `level` of `size` is set.
    private var roots: [TreeHash]

    init(size: UInt64, subtree: (_ level: Int, _ index: UInt64) throws -> TreeHash) rethrows {
        self.size = size
        roots = Array(repeating: TreeHash.empty, count: 64)
        for level in 0 ..< 64 where size >> UInt64(level) & 1 == 1 {
            // The complete subtree of this level that ends the decomposition's part above it.
            roots[level] = try subtree(level, (size >> UInt64(level)) - 1)
        }
    }

    /// Adds the next leaf; `store` receives every subtree completed by it, the leaf first.
    mutating func append(leaf: TreeHash, store: (_ level: Int, _ index: UInt64, _ hash: TreeHash) throws -> Void) rethrows {
        var hash = leaf
        var level = 0
        var index = size
        try store(0, index, hash)
        while index & 1 == 1 {
            hash = MerkleHashing.node(roots[level], hash)
            level += 1
            index >>= 1
            try store(level, index, hash)
        }
        roots[level] = hash
        size += 1
    }

    /// The root of the whole tree so far.
    var root: TreeHash {
        var hash: TreeHash?
        for level in 0 ..< 64 where size >> UInt64(level) & 1 == 1 {
            hash = hash.map { MerkleHashing.node(roots[level], $0) } ?? roots[level]
        }
        return hash ?? TreeHash.empty
    }
}

/// The tree's database is missing or behind the log (a store not yet upgraded, opened read-only).
public struct TreeNotBuilt: Error, Sendable, CustomStringConvertible {
    public let treeSize: UInt64
    public let logSize: UInt64
    public var description: String {
        "the store's Merkle tree covers \(treeSize) of \(logSize) records; open the store once for writing (e.g. `ledger checkpoint`) to build it"
    }
}

extension LogStorage {
    /// How many leaves the tree covers. The stored nodes reach one past the last leaf of the last
    /// node; the records after that, fewer than a lowest stored subtree, need no node yet, so a
    /// tree whose nodes reach that far covers the whole log. (A format-3 store also holds the
    /// nodes of levels 0 and 1; they are no longer read.)
    func treeSize(_ txn: ReadTransaction) throws -> UInt64 {
        guard let tree else { return 0 }
        let stored = try txn.withCursor(tree) { cursor in
            guard let last = try cursor.last() else { return UInt64(0) }
            return try TreeNodeKey(lmdbBytes: last.key).lastLeaf + 1
        }
        let logSize = try head(txn).seq
        let unit = ~(UInt64(1) << UInt64(TreeNodeKey.lowestStoredLevel) - 1)
        if stored > logSize { return stored }
        return stored >= logSize & unit ? logSize : stored & unit
    }

    /// The hash of the complete subtree (level, index): stored, or re-hashed from its records
    /// below the lowest stored level.
    func subtree(_ level: Int, _ index: UInt64, _ txn: ReadTransaction) throws -> TreeHash {
        if level < TreeNodeKey.lowestStoredLevel {
            if level == 0 { return try leaf(seq: index + 1, txn) }
            return MerkleHashing.node(try subtree(level - 1, index * 2, txn), try subtree(level - 1, index * 2 + 1, txn))
        }
        guard let tree, let node = try txn.get(tree, TreeNodeKey(level: level, index: index)) else {
            throw LedgerError.corruptRecord(seq: index << UInt64(level) + 1, reason: "tree node (level \(level), index \(index)) is missing")
        }
        return node.hash
    }

    /// The leaf hash of the record at `seq`.
    private func leaf(seq: UInt64, _ txn: ReadTransaction) throws -> TreeHash {
        guard let hash = try txn.withValue(log, seq, { MerkleHashing.leaf($0) }) else {
            throw LedgerError.corruptRecord(seq: seq, reason: "missing from the log")
        }
        return hash
    }

    /// A reader of the stored tree inside `txn`, as it is.
    func storedTree(_ txn: ReadTransaction) -> TreeReader {
        TreeReader { level, index in try self.subtree(level, index, txn) }
    }

    /// A reader of the stored tree inside `txn`, after checking that it covers the whole log.
    func treeReader(_ txn: ReadTransaction) throws -> (reader: TreeReader, size: UInt64) {
        let logSize = try head(txn).seq
        let size = try treeSize(txn)
        guard size == logSize else { throw TreeNotBuilt(treeSize: size, logSize: logSize) }
        return (storedTree(txn), size)
    }

    /// The frontier of the stored tree, for appending after its last leaf.
    func treeFrontier(_ txn: ReadTransaction) throws -> TreeFrontier {
        let size = try treeSize(txn)
        return try TreeFrontier(size: size) { level, index in try subtree(level, index, txn) }
    }

    /// The upgrade step: adds to the tree every record it does not cover yet (all of them for a
    /// store written before the tree existed), a chunk of records per write transaction.
    func buildTree(chunk: Int = 65_536) throws {
        guard let tree else { return }
        while true {
            let done = try environment.write { txn -> Bool in
                var frontier = try treeFrontier(txn)
                let logSize = try head(txn).seq
                guard frontier.size < logSize else { return true }
                let end = min(logSize, frontier.size + UInt64(chunk))
                try txn.withWriteCursor(tree) { nodes in
                    try txn.withCursor(log) { cursor in
                        var entry = try cursor.seek(atLeast: frontier.size + 1)
                        while let (key, value) = entry, frontier.size < end {
                            let seq = try UInt64(lmdbBytes: key)
                            guard seq == frontier.size + 1 else {
                                throw LedgerError.corruptRecord(seq: frontier.size + 1, reason: "missing from the log")
                            }
                            try frontier.append(leaf: MerkleHashing.leaf(value)) { level, index, hash in
                                guard level >= TreeNodeKey.lowestStoredLevel else { return }
                                try nodes.put(TreeNodeKey(level: level, index: index), StoredTreeHash(hash), flags: .append)
                            }
                            entry = try cursor.next()
                        }
                    }
                }
                return frontier.size >= logSize
            }
            if done { return }
        }
    }
}
