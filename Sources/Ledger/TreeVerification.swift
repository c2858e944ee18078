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
/// records `first…last` and compares each with the stored one (both come in key order), trusting
/// the stored subtrees before `first` as the chain trusts the hash before it.
final class TreeCheck: @unchecked Sendable {
    struct Result {
        var failure: VerificationFailure?
        /// The root of the first `last` records, when the range was checked to its end.
        var root: TreeHash?
        /// The root of the first `rootAt` records, when `rootAt` lies in the range.
        var rootAtPublished: TreeHash?
    }

    private var outcome = Result()
    private let done = DispatchSemaphore(value: 0)

    /// Starts the check; `result()` waits for it. When not `enabled` (no tree yet) it reports nothing.
    static func start(_ storage: LogStorage, from first: UInt64, through last: UInt64, rootAt: UInt64?, enabled: Bool) -> TreeCheck {
        let check = TreeCheck()
        guard enabled, last >= first else {
            if enabled { check.outcome.root = try? storage.environment.read { try storage.storedTree($0).root(size: last) } }
            check.done.signal()
            return check
        }
        let thread = Thread {
            check.outcome = check.run(storage, from: first, through: last, rootAt: rootAt)
            check.done.signal()
        }
        thread.name = "ledger-verify-tree"
        thread.start()
        return check
    }

    func result() -> Result {
        done.wait()
        return outcome
    }

    private func run(_ storage: LogStorage, from first: UInt64, through last: UInt64, rootAt: UInt64?) -> Result {
        var result = Result()
        do {
            try storage.environment.read { txn in
                var frontier = try TreeFrontier(size: first - 1) { level, index in try storage.subtree(level, index, txn) }
                try storage.withTreeCursor(txn) { treeCursor in
                    var storedNode = try treeCursor?.seek(atLeast: TreeNodeKey(level: 0, index: first - 1))
                    try txn.withCursor(storage.log) { cursor in
                        var entry = try cursor.seek(atLeast: first)
                        while let (key, value) = entry {
                            let seq = try UInt64(lmdbBytes: key)
                            // A gap is the chain's finding; the tree stops there.
                            guard seq <= last, seq == frontier.size + 1 else { break }
                            try frontier.append(leaf: MerkleHashing.leaf(value)) { level, index, node in
                                guard let stored = storedNode, TreeNodeKey(stored.key) == TreeNodeKey(level: level, index: index),
                                      stored.value.count == 32, TreeHash(bytes: stored.value) == node
                                else { throw VerificationFailure(seq: seq, kind: .treeMismatch) }
                                storedNode = try treeCursor?.next()
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
