import Foundation
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

/// The tree half of `verify`, on a thread of its own: recomputes every leaf and node of the
/// records `first…last` and compares each stored one with it (both come in key order), trusting
/// the stored subtrees before the range as the chain trusts the hash before it.
enum TreeCheck {
    struct Result {
        var failure: VerificationFailure?
        /// The root of the first `last` records, when the range was checked to its end.
        var root: TreeHash?
        /// The root of the first `rootAt` records, when `rootAt` lies in the range.
        var rootAtPublished: TreeHash?
    }

    /// Starts the check on a thread of its own. When not `enabled` (no tree yet) it reports nothing.
    static func start(_ storage: LogStorage, from first: UInt64, through last: UInt64, rootAt: UInt64?,
                      enabled: Bool) -> PendingResult<Result> {
        guard enabled, last >= first else {
            var result = Result()
            if enabled { result.root = try? storage.environment.read { try storage.storedTree($0).root(size: last) } }
            return .ready(result)
        }
        return .onThread(named: "ledger-verify-tree") { run(storage, from: first, through: last, rootAt: rootAt) }
    }

    private static func run(_ storage: LogStorage, from first: UInt64, through last: UInt64, rootAt: UInt64?) -> Result {
        var result = Result()
        do {
            try storage.environment.read { txn in
                // The levels below the lowest stored one are re-hashed from records, so a range
                // starts at the end of a whole lowest subtree (up to three records in, which the
                // chain checks): before it only stored subtrees are trusted, not records.
                let unit = UInt64(1) << UInt64(TreeNodeKey.lowestStoredLevel)
                let start = min(last, (first - 1 + unit - 1) / unit * unit)
                if let rootAt, rootAt >= first, rootAt <= start { result.rootAtPublished = try storage.storedTree(txn).root(size: rootAt) }
                var frontier = try TreeFrontier(size: start) { level, index in try storage.subtree(level, index, txn) }
                try storage.withTreeCursor(txn) { treeCursor in
                    var storedNode = try treeCursor?.seek(atLeast: TreeNodeKey(level: 0, index: start))
                    try txn.withCursor(storage.log) { cursor in
                        var entry = try cursor.seek(atLeast: start + 1)
                        while let (key, value) = entry {
                            let seq = try UInt64(lmdbBytes: key)
                            // A gap is the chain's finding; the tree stops there.
                            guard seq <= last, seq == frontier.size + 1 else { break }
                            try frontier.append(leaf: MerkleHashing.leaf(value)) { level, index, node in
                                if let stored = storedNode, TreeNodeKey(stored.key) == TreeNodeKey(level: level, index: index) {
                                    guard stored.value.count == 32, TreeHash(bytes: stored.value) == node
                                    else { throw VerificationFailure(seq: seq, kind: .treeMismatch) }
                                    storedNode = try treeCursor?.next()
                                } else if level >= TreeNodeKey.lowestStoredLevel {
                                    // A node the store must hold is missing (a format-3 store's
                                    // nodes of levels 0 and 1 are checked when there).
                                    throw VerificationFailure(seq: seq, kind: .treeMismatch)
                                }
                            }
                            if seq == rootAt { result.rootAtPublished = frontier.root }
                            entry = try cursor.next()
                        }
                    }
                }
                if frontier.size == last { result.root = frontier.root }
            }
        } catch let failure as VerificationFailure {
            result.failure = failure
        } catch {
            result.failure = VerificationFailure(seq: first, kind: .unreadable("tree: \(error)"))
        }
        return result
    }
}
