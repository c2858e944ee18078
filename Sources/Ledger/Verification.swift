import Foundation
import LMDB
import LedgerProofs

/// Why `verify` found the log not intact. `seq` is the first bad one.
public struct VerificationFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The record's bytes do not hash to its stored hash (it was changed).
        case hashMismatch
        /// The record does not link to the record before it.
        case brokenLink
        /// A seq is missing.
        case gap
        /// The record cannot be read.
        case unreadable(String)
        /// The log's hash at a published digest's seq is not the published one: history was rewritten.
        case digestMismatch(expected: ChainHash, found: ChainHash)
        /// The log is shorter than a published digest: history was truncated.
        case truncated(head: UInt64)
        /// The stored Merkle tree does not match the records from this seq on (its nodes were altered).
        case treeMismatch
    }
    public let seq: UInt64
    public let kind: Kind
    /// For `.digestMismatch`: the Merkle root of the log's first `seq` records (what a digest names).
    public var treeRoot: TreeHash? = nil

    public var description: String {
        switch kind {
        case .hashMismatch: "seq \(seq): the record's content does not match its hash (altered)"
        case .brokenLink: "seq \(seq): the record does not link to the hash of seq \(seq - 1)"
        case .gap: "seq \(seq): missing from the log"
        case .unreadable(let reason): "seq \(seq): unreadable (\(reason))"
        case let .digestMismatch(expected, found):
            "seq \(seq): \(treeRoot.map { "tree root \($0.hex) and chain " } ?? "")hash \(found.hex) differ from the published \(expected.hex) (history rewritten)"
        case .truncated(let head): "seq \(seq): the published digest is beyond the log's last seq \(head) (history truncated)"
        case .treeMismatch: "seq \(seq): the stored Merkle tree does not match the record (tree altered; proofs would not check)"
        }
    }
}

/// What a successful `verify` checked.
public struct VerificationReport: Sendable {
    public var first: UInt64
    public var last: UInt64
    public var checked: UInt64
    /// The hash at `last`.
    public var hash: ChainHash
    public var digest: ChainDigest { ChainDigest(seq: last, hash: hash) }
    /// The Merkle root of the first `last` records, recomputed from them; nil for a store opened
    /// read-only before its tree was built.
    public var treeRoot: TreeHash? = nil
    /// `SIZE:HEX` with the tree root: the digest form `ledger digest` prints.
    public var treeDigest: TreeHead? { treeRoot.map { TreeHead(size: last, root: $0) } }
}

extension EventStore {
    /// Re-hashes the log from `first` through `last` (default: all of it) and checks every link.
    /// With `published`, also checks that the log still has that hash at that seq.
    ///
    /// Verifying a range trusts the hash of the record just before it; verify from 1 to trust nothing.
    /// - Throws: `VerificationFailure` naming the first bad seq.
    public func verify(from first: UInt64 = 1, through last: UInt64? = nil, against published: ChainDigest? = nil,
                       progress: ((_ done: UInt64, _ total: UInt64) -> Void)? = nil) throws -> VerificationReport {
        try verify(from: first, through: last, against: published, cores: ProcessInfo.processInfo.activeProcessorCount,
                   segmentMinimum: 65_536, progress: progress)
    }

    /// `verify` cutting the range into up to `cores` segments of at least `segmentMinimum` records.
    func verify(from first: UInt64, through last: UInt64?, against published: ChainDigest?, cores: Int, segmentMinimum: UInt64,
                progress: ((_ done: UInt64, _ total: UInt64) -> Void)?) throws -> VerificationReport {
        try storage.environment.read { txn in
            let head = try storage.head(txn)
            let first = max(first, 1)
            let last = min(last ?? head.seq, head.seq)
            if let published, published.seq == 0, published.hash != .genesis {
                throw VerificationFailure(seq: 0, kind: .digestMismatch(expected: published.hash, found: .genesis))
            }
            if let published, published.seq > head.seq {
                throw VerificationFailure(seq: published.seq, kind: .truncated(head: head.seq))
            }
            var previous = ChainHash.genesis
            if first > 1 {
                guard let hash = try storage.withRecord(seq: first - 1, txn, { $0.hash }) else {
                    throw VerificationFailure(seq: first - 1, kind: .gap)
                }
                previous = hash
            }
            // The range is cut into a segment a core. Each segment's tree is recomputed on a thread
            // of its own while its chain is re-hashed on another (the first segment's on this one):
            // all read the same records (seq ≤ last never changes), and the first failure wins.
            let treeBuilt = try storage.treeSize(txn) >= head.seq
            let segments = VerificationSegment.split(first: first, last: last, cores: cores, minimum: segmentMinimum)
            let trees = segments.map {
                TreeCheck.start(storage, from: $0.first, through: $0.last, rootAt: published?.seq, enabled: storage.tree != nil && treeBuilt)
            }
            let others = segments.dropFirst().map { ChainCheck.start(storage, $0, publishedSeq: published?.seq) }
            let total = last >= first ? last - first + 1 : 0
            let own = ChainCheck()
            var chains = [own.run(storage, segments[0], from: previous, publishedSeq: published?.seq) {
                progress?(others.reduce(own.done.load(ordering: .relaxed)) { $0 + $1.check.done.load(ordering: .relaxed) }, total)
            }]
            chains += others.map { $0.result.wait() }
            let treeResults = trees.map { $0.wait() }
            if let error = chains.lazy.compactMap(\.error).first { throw error }
            previous = chains[chains.count - 1].last
            let tree = (root: treeResults[treeResults.count - 1].root, rootAtPublished: treeResults.lazy.compactMap(\.rootAtPublished).first)
            var failures = chains.compactMap(\.failure) + treeResults.compactMap(\.failure)
            if let published, let found = chains.lazy.compactMap(\.hashAtPublished).first, published.hash != found,
               !published.hash.matches(tree.rootAtPublished) {
                failures.append(VerificationFailure(seq: published.seq, kind: .digestMismatch(expected: published.hash, found: found),
                                                    treeRoot: tree.rootAtPublished))
            }
            // The first bad seq; on a tie the chain's finding (it names the record), then the tree's.
            if let first = failures.enumerated().min(by: { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }) {
                throw first.element
            }
            if let published, published.seq > 0, published.seq < first || published.seq > last {
                // The published point lies outside the range: check it directly (chain hash or stored tree root).
                let found = try storage.withRecord(seq: published.seq, txn) { $0.hash }
                let root = tree.root == nil ? nil : try? storage.storedTree(txn).root(size: published.seq)
                if found != published.hash, !published.hash.matches(root) {
                    throw VerificationFailure(seq: published.seq,
                                              kind: .digestMismatch(expected: published.hash, found: found ?? .genesis),
                                              treeRoot: root)
                }
            }
            progress?(total, total)
            return VerificationReport(first: first, last: last, checked: total, hash: previous, treeRoot: tree.root)
        }
    }
}
