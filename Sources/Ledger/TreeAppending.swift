import Dispatch
import LMDB
import LedgerProofs

/// The Merkle tree's side of a write transaction. The writer stores each record and hands a copy
/// of its bytes here; the leaf and node hashes of every `chunkSize` records are computed on another
/// core while the writer goes on storing the next ones, and their nodes are put when that chunk's
/// hashing is done. Hashing the tree is half the writer's work per record: overlapped, a bulk
/// append costs about what the chain alone cost. A small commit (one hall action) is hashed in place.
struct TreeAppending {
    static let chunkSize = 1_024

    private let cursor: WriteCursor<TreeNodeKey, StoredTreeHash>
    /// The right edge after every chunk handed off so far, once the job in flight has returned it.
    private var frontier: TreeFrontier
    private var gathered = RecordChunk()
    private var inFlight: PendingResult<(nodes: [TreeNode], frontier: TreeFrontier)>?

    init(frontier: TreeFrontier, cursor: WriteCursor<TreeNodeKey, StoredTreeHash>) {
        self.frontier = frontier
        self.cursor = cursor
    }

    /// Takes a copy of the next stored record's bytes.
    mutating func add(_ record: UnsafeRawBufferPointer) {
        gathered.append(record)
    }

    /// Once a chunk is gathered: starts hashing it on another core (after putting the nodes of
    /// the chunk before, whose hashing has had the time this chunk took to store).
    mutating func handOffWhenFull() throws {
        if gathered.count == Self.chunkSize { try handOff() }
    }

    /// Hashes what is left and puts every node; after this the tree covers every record added.
    mutating func finish() throws {
        if inFlight == nil {
            // Nothing was handed off: hash here, no thread hop for a small commit.
            try put(TreeAppending.hash(gathered, from: &frontier))
        } else {
            try handOff()
            try collect()
        }
        gathered = RecordChunk()
    }

    private mutating func handOff() throws {
        try collect()
        let (chunk, start) = (gathered, frontier)
        inFlight = .onGlobalQueue {
            var frontier = start
            let nodes = TreeAppending.hash(chunk, from: &frontier)
            return (nodes, frontier)
        }
        gathered = RecordChunk()
    }

    /// Waits for the chunk in flight, if any, and puts its nodes.
    private mutating func collect() throws {
        guard let job = inFlight else { return }
        inFlight = nil
        let (nodes, after) = job.wait()
        frontier = after
        try put(nodes)
    }

    private func put(_ nodes: [TreeNode]) throws {
        // Nodes come in key order (by last leaf, then level): append-puts, no search.
        for node in nodes {
            try cursor.put(TreeNodeKey(level: node.level, index: node.index), StoredTreeHash(node.hash), flags: .append)
        }
    }
}

/// A complete subtree's hash, ready to store.
struct TreeNode: Sendable {
    let level: Int
    let index: UInt64
    let hash: TreeHash
}

/// Records copied back to back, for hashing away from the LMDB pages they were written to (those
/// belong to the writer's transaction, which keeps writing).
struct RecordChunk: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []

    var count: Int { ends.count }

    mutating func append(_ record: UnsafeRawBufferPointer) {
        if bytes.isEmpty { bytes.reserveCapacity(TreeAppending.chunkSize * 320) }
        bytes.append(contentsOf: record)
        ends.append(bytes.count)
    }
}

extension TreeAppending {
    /// Appends the chunk's leaves to `frontier`; returns every stored subtree they complete, in key order.
    static func hash(_ chunk: RecordChunk, from frontier: inout TreeFrontier) -> [TreeNode] {
        var nodes: [TreeNode] = []
        nodes.reserveCapacity(chunk.count / 2 + 64)
        chunk.bytes.withUnsafeBytes { raw in
            var start = 0
            for end in chunk.ends {
                frontier.append(leaf: MerkleHashing.leaf(UnsafeRawBufferPointer(rebasing: raw[start ..< end]))) { level, index, hash in
                    if level >= TreeNodeKey.lowestStoredLevel { nodes.append(TreeNode(level: level, index: index, hash: hash)) }
                }
                start = end
            }
        }
        return nodes
    }
}
