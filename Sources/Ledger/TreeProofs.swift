import LMDB
import LedgerProofs

extension EventStore {
    /// The Merkle tree's size and root now (the size is the last seq): what `ledger digest`
    /// prints and a checkpoint signs.
    /// - Throws: `TreeNotBuilt` for a store opened read-only before its tree was built.
    public func treeHead() throws -> TreeHead {
        try storage.environment.read { txn in
            let (reader, size) = try storage.treeReader(txn)
            return TreeHead(size: size, root: try reader.root(size: size))
        }
    }

    /// The root of the tree of the first `size` records, as it was when the log had `size` records.
    /// - Throws: `ProofRequestError.beyondLog` when the log is shorter.
    public func treeHead(size: UInt64) throws -> TreeHead {
        try storage.environment.read { txn in
            let (reader, logSize) = try storage.treeReader(txn)
            guard size <= logSize else { throw ProofRequestError.beyondLog(size: size, logSize: logSize) }
            return TreeHead(size: size, root: try reader.root(size: size))
        }
    }

    /// Calls `body` with each of the stream's events in the tree of the first `size` records (all
    /// of them when nil), in order, with its inclusion path in that tree; in one snapshot.
    /// - Returns: the tree head the paths lead to.
    @discardableResult
    public func forEachProvenEvent(of stream: StreamID, size: UInt64? = nil,
                                   _ body: (EventView, [TreeHash]) throws -> Void) throws -> TreeHead {
        try storage.environment.read { txn in
            let (stored, logSize) = try storage.treeReader(txn)
            let size = size ?? logSize
            guard size <= logSize else { throw ProofRequestError.beyondLog(size: size, logSize: logSize) }
            // Consecutive records of the stream share the upper part of their paths: read once.
            let reader = stored.remembering()
            try txn.withCursor(storage.cases) { cursor in
                guard try cursor.seek(exactly: stream.rawValue) != nil else { return }
                var entry = try cursor.current()
                while let (_, value) = entry {
                    let seq = try UInt64(lmdbBytes: value)
                    if seq > size { break }
                    let path = try reader.inclusionPath(leaf: seq - 1, size: size)
                    _ = try storage.withRecord(seq: seq, txn) { view in try body(view, path) }
                    entry = try cursor.nextDuplicate()
                }
            }
            return TreeHead(size: size, root: try reader.root(size: size))
        }
    }

    /// The inclusion path of the record at `seq` in the tree of the first `size` records.
    public func inclusionPath(seq: UInt64, size: UInt64) throws -> [TreeHash] {
        try storage.environment.read { txn in
            let (reader, logSize) = try storage.treeReader(txn)
            guard size <= logSize else { throw ProofRequestError.beyondLog(size: size, logSize: logSize) }
            guard seq >= 1, seq <= size else { throw ProofRequestError.seqOutsideTree(seq: seq, size: size) }
            return try reader.inclusionPath(leaf: seq - 1, size: size)
        }
    }

    /// The consistency proof (RFC 9162 §2.1.4) that the tree of `newSize` records extends the
    /// tree of `oldSize`, with both heads.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64? = nil) throws
        -> (old: TreeHead, new: TreeHead, proof: [TreeHash]) {
        try storage.environment.read { txn in
            let (reader, logSize) = try storage.treeReader(txn)
            let newSize = newSize ?? logSize
            guard newSize <= logSize else { throw ProofRequestError.beyondLog(size: newSize, logSize: logSize) }
            guard oldSize <= newSize else { throw ProofRequestError.beyondLog(size: oldSize, logSize: newSize) }
            return (TreeHead(size: oldSize, root: try reader.root(size: oldSize)),
                    TreeHead(size: newSize, root: try reader.root(size: newSize)),
                    try reader.consistencyProof(from: oldSize, to: newSize))
        }
    }
}

/// A proof asked of the store that it cannot give.
public enum ProofRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case beyondLog(size: UInt64, logSize: UInt64)
    case seqOutsideTree(seq: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case let .beyondLog(size, logSize): "a tree of \(size) records is beyond the log's \(logSize); use a size up to \(logSize)"
        case let .seqOutsideTree(seq, size): "seq \(seq) is not in the tree of the first \(size) records"
        }
    }
}
