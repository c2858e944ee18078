/// The RFC 9162 §2.1 algorithms over a tree whose complete subtrees can be looked up.
///
/// A complete subtree is named by its `level` (it spans 2^level leaves) and its `index` among the
/// subtrees of that level (it starts at leaf index << level). Every range the RFC's recursion
/// visits splits into such subtrees, so a store that keeps them answers any root or proof with
/// O(log² N) look-ups and no leaf re-hashing.
public struct TreeReader {
    /// Returns the hash of the complete subtree at (`level`, `index`).
    public typealias SubtreeLookup = (_ level: Int, _ index: UInt64) throws -> TreeHash

    private let subtree: SubtreeLookup
    private let previous: PreviousPath?

    public init(subtree: @escaping SubtreeLookup) {
        self.subtree = subtree
        previous = nil
    }

    private init(subtree: @escaping SubtreeLookup, previous: PreviousPath?) {
        self.subtree = subtree
        self.previous = previous
    }

    /// The same tree, that reuses what the paths of consecutive leaves share: for proving several
    /// leaves in one snapshot. A case's records share the upper part of their paths, where the
    /// sibling of a leaf left of the largest complete subtree is the tree's right edge, hashed
    /// from several stored subtrees.
    public func remembering() -> TreeReader {
        TreeReader(subtree: subtree, previous: PreviousPath())
    }

    /// MTH(D[lo:hi]): the hash of the leaves `lo ..< hi` (a range the recursion visits).
    public func hash(_ lo: UInt64, _ hi: UInt64) throws -> TreeHash {
        let n = hi - lo
        if n == 0 { return TreeHash.empty }
        if n & (n - 1) == 0 && lo % n == 0 {
            let level = n.trailingZeroBitCount
            return try subtree(level, lo >> UInt64(level))
        }
        let k = largestPowerOfTwo(below: n)
        return MerkleHashing.node(try hash(lo, lo + k), try hash(lo + k, hi))
    }

    /// The root of the tree of the first `size` leaves.
    public func root(size: UInt64) throws -> TreeHash { try hash(0, size) }

    /// PATH(m, D[n]) (§2.1.3.1), nearest sibling first.
    public func inclusionPath(leaf m: UInt64, size n: UInt64) throws -> [TreeHash] {
        precondition(m < n, "leaf \(m) is outside a tree of \(n)")
        var outerFirst: [TreeHash] = []
        var sides: [Bool] = []
        // While this leaf's descent takes the same sides as the previous leaf's, the ranges
        // are the same and so are their siblings.
        var reusing = previous?.size == n
        var (lo, hi) = (UInt64(0), n)
        while hi - lo > 1 {
            let k = largestPowerOfTwo(below: hi - lo)
            let left = m < lo + k
            let step = outerFirst.count
            if reusing, let previous, step < previous.sides.count, previous.sides[step] == left {
                outerFirst.append(previous.outerFirst[step])
            } else {
                reusing = false
                outerFirst.append(left ? try hash(lo + k, hi) : try hash(lo, lo + k))
            }
            sides.append(left)
            if left { hi = lo + k } else { lo += k }
        }
        if let previous {
            previous.size = n
            previous.sides = sides
            previous.outerFirst = outerFirst
        }
        return outerFirst.reversed()
    }

    /// PROOF(m, D[n]) (§2.1.4.1): that the first `m` leaves are a prefix of the first `n`.
    public func consistencyProof(from m: UInt64, to n: UInt64) throws -> [TreeHash] {
        precondition(m <= n, "old size \(m) exceeds new size \(n)")
        if m == 0 || m == n { return [] }
        var outerFirst: [TreeHash] = []
        var (lo, hi) = (UInt64(0), n)
        var m = m
        var whole = true
        while m != hi - lo {
            let k = largestPowerOfTwo(below: hi - lo)
            if m <= k {
                outerFirst.append(try hash(lo + k, hi))
                hi = lo + k
            } else {
                outerFirst.append(try hash(lo, lo + k))
                lo += k
                m -= k
                whole = false
            }
        }
        if !whole { outerFirst.append(try hash(lo, hi)) }
        return outerFirst.reversed()
    }
}

/// The last path a remembering `TreeReader` gave: the tree's size, and at each step of the
/// descent from the root, which side the leaf was on and the sibling's hash.
private final class PreviousPath {
    var size: UInt64?
    var sides: [Bool] = []
    var outerFirst: [TreeHash] = []
}

/// The largest power of two strictly below `n` (n ≥ 2).
func largestPowerOfTwo(below n: UInt64) -> UInt64 {
    UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
}

/// The RFC 9162 verification algorithms: what an auditor runs, needing only hashes.
public enum TreeVerifier {
    /// The root that `path` leads to from `leaf` at `index` in a tree of `size` (§2.1.3.2),
    /// or nil when the path has the wrong shape for that index and size.
    public static func root(fromLeaf leaf: TreeHash, index: UInt64, size: UInt64, path: [TreeHash]) -> TreeHash? {
        guard index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in path {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHashing.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = MerkleHashing.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// Whether `leaf` is at `index` of the tree of `size` with `root`.
    public static func includes(root: TreeHash, size: UInt64, leaf: TreeHash, index: UInt64, path: [TreeHash]) -> Bool {
        Self.root(fromLeaf: leaf, index: index, size: size, path: path) == root
    }

    /// Whether the tree (`newSize`, `newRoot`) extends (`oldSize`, `oldRoot`) (§2.1.4.2).
    public static func consistent(oldSize: UInt64, oldRoot: TreeHash, newSize: UInt64, newRoot: TreeHash,
                                  proof: [TreeHash]) -> Bool {
        if oldSize > newSize { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == TreeHash.empty }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHashing.node(c, fr)
                sr = MerkleHashing.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = MerkleHashing.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
