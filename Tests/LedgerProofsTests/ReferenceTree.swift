import Crypto
import LedgerProofs

/// RFC 9162 §2.1's definitions of MTH, PATH and PROOF, written as the RFC writes them (recursion
/// over the leaves' data), memoising MTH by range: the reference the store's proofs are checked
/// against. Hashes are plain byte arrays, independent of `TreeHash` and `MerkleHashing`.
final class ReferenceTree {
    let leaves: [[UInt8]]
    private var memo: [Range<Int>: [UInt8]] = [:]

    init(leaves: [[UInt8]]) { self.leaves = leaves }

    static func sha(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// MTH(D[range]).
    func mth(_ range: Range<Int>) -> [UInt8] {
        if let known = memo[range] { return known }
        let hash: [UInt8]
        switch range.count {
        case 0: hash = Self.sha([])
        case 1: hash = Self.sha([0] + leaves[range.lowerBound])
        default:
            let k = Self.k(range.count)
            hash = Self.sha([1] + mth(range.lowerBound ..< range.lowerBound + k) + mth(range.lowerBound + k ..< range.upperBound))
        }
        memo[range] = hash
        return hash
    }

    /// PATH(m, D[range]), m relative to the range.
    func path(_ m: Int, _ range: Range<Int>) -> [[UInt8]] {
        if range.count <= 1 { return [] }
        let k = Self.k(range.count)
        let left = range.lowerBound ..< range.lowerBound + k, right = range.lowerBound + k ..< range.upperBound
        if m < k { return path(m, left) + [mth(right)] }
        return path(m - k, right) + [mth(left)]
    }

    /// PROOF(m, D[0:n]).
    func proof(_ m: Int, _ n: Int) -> [[UInt8]] { subproof(m, 0 ..< n, true) }

    private func subproof(_ m: Int, _ range: Range<Int>, _ b: Bool) -> [[UInt8]] {
        if m == range.count { return b ? [] : [mth(range)] }
        let k = Self.k(range.count)
        let left = range.lowerBound ..< range.lowerBound + k, right = range.lowerBound + k ..< range.upperBound
        if m <= k { return subproof(m, left, b) + [mth(right)] }
        return subproof(m - k, right, false) + [mth(left)]
    }

    /// The largest power of two smaller than n.
    static func k(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }
}

extension TreeHash {
    var array: [UInt8] { bytes }
}
