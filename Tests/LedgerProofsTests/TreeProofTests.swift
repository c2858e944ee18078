import Foundation
import Ledger
import LedgerProofs
import Testing
import TestSupport

@Suite("Merkle tree proofs against RFC 9162's reference definitions")
struct TreeProofTests {
    @Test("roots, inclusion paths and consistency proofs from the store equal MTH, PATH and PROOF for every size 1…300")
    func everySizeUpTo300() async throws {
        let (t, stored) = try await filledStore("ledger-tree-300", count: 300)
        let reference = ReferenceTree(leaves: stored)
        for n in 1 ... 300 {
            let root = try t.store.treeHead(size: UInt64(n)).root
            #expect(root.array == reference.mth(0 ..< n), "root of size \(n)")
            for m in 0 ..< n {
                let path = try t.store.inclusionPath(seq: UInt64(m + 1), size: UInt64(n))
                #expect(path.map(\.array) == reference.path(m, 0 ..< n), "PATH(\(m), \(n))")
                #expect(TreeVerifier.includes(root: root, size: UInt64(n), leaf: MerkleHashing.leaf(stored[m]),
                                              index: UInt64(m), path: path), "inclusion of \(m) in \(n)")
            }
            for m in 1 ... n {
                let (old, new, proof) = try t.store.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof.map(\.array) == reference.proof(m, n), "PROOF(\(m), \(n))")
                #expect(TreeVerifier.consistent(oldSize: old.size, oldRoot: old.root, newSize: new.size, newRoot: new.root, proof: proof),
                        "consistency \(m) → \(n)")
            }
        }
        #expect(try t.store.treeHead() == TreeHead(size: 300, root: try t.store.treeHead(size: 300).root))
    }

    @Test("random larger sizes agree with the reference too")
    func randomLargerSizes() async throws {
        let (t, stored) = try await filledStore("ledger-tree-large", count: 3000)
        let reference = ReferenceTree(leaves: stored)
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 200 {
            let n = Int.random(in: 301 ... 3000, using: &rng)
            let m = Int.random(in: 0 ..< n, using: &rng)
            let root = try t.store.treeHead(size: UInt64(n)).root
            #expect(root.array == reference.mth(0 ..< n))
            let path = try t.store.inclusionPath(seq: UInt64(m + 1), size: UInt64(n))
            #expect(path.map(\.array) == reference.path(m, 0 ..< n), "PATH(\(m), \(n))")
            let proof = try t.store.consistencyProof(from: UInt64(m + 1), to: UInt64(n)).proof
            #expect(proof.map(\.array) == reference.proof(m + 1, n), "PROOF(\(m + 1), \(n))")
        }
    }

    @Test("a wrong leaf, index, path hash or root fails the inclusion check")
    func inclusionRejectsTampering() async throws {
        let (t, stored) = try await filledStore("ledger-tree-bad", count: 77)
        let head = try t.store.treeHead()
        let path = try t.store.inclusionPath(seq: 30, size: head.size)
        let leaf = MerkleHashing.leaf(stored[29])
        #expect(TreeVerifier.includes(root: head.root, size: head.size, leaf: leaf, index: 29, path: path))
        #expect(!TreeVerifier.includes(root: head.root, size: head.size, leaf: MerkleHashing.leaf(stored[30]), index: 29, path: path))
        #expect(!TreeVerifier.includes(root: head.root, size: head.size, leaf: leaf, index: 28, path: path))
        #expect(!TreeVerifier.includes(root: head.root, size: head.size, leaf: leaf, index: 29, path: Array(path.dropLast())))
        // A size whose tree is one level deeper needs a longer path.
        #expect(!TreeVerifier.includes(root: head.root, size: head.size + 64, leaf: leaf, index: 29, path: path))
        for i in path.indices {
            var bad = path
            var bytes = bad[i].bytes
            bytes[7] ^= 1
            bad[i] = TreeHash(bytes)!
            #expect(!TreeVerifier.includes(root: head.root, size: head.size, leaf: leaf, index: 29, path: bad))
        }
        var rootBytes = head.root.bytes
        rootBytes[0] ^= 0x80
        #expect(!TreeVerifier.includes(root: TreeHash(rootBytes)!, size: head.size, leaf: leaf, index: 29, path: path))
    }

    @Test("a consistency proof fails for a rewritten old tree, an altered proof, or swapped sizes")
    func consistencyRejectsTampering() async throws {
        let (t, _) = try await filledStore("ledger-tree-cons", count: 90)
        let (old, new, proof) = try t.store.consistencyProof(from: 37, to: 90)
        #expect(TreeVerifier.consistent(oldSize: 37, oldRoot: old.root, newSize: 90, newRoot: new.root, proof: proof))
        let other = try t.store.treeHead(size: 38).root
        #expect(!TreeVerifier.consistent(oldSize: 37, oldRoot: other, newSize: 90, newRoot: new.root, proof: proof))
        #expect(!TreeVerifier.consistent(oldSize: 90, oldRoot: new.root, newSize: 37, newRoot: old.root, proof: proof))
        #expect(!TreeVerifier.consistent(oldSize: 37, oldRoot: old.root, newSize: 90, newRoot: new.root, proof: []))
        for i in proof.indices {
            var bad = proof
            var bytes = bad[i].bytes
            bytes[31] ^= 1
            bad[i] = TreeHash(bytes)!
            #expect(!TreeVerifier.consistent(oldSize: 37, oldRoot: old.root, newSize: 90, newRoot: new.root, proof: bad))
        }
    }

    @Test("asking for a tree beyond the log is refused")
    func beyondTheLog() async throws {
        let (t, _) = try await filledStore("ledger-tree-beyond", count: 5)
        #expect(throws: ProofRequestError.beyondLog(size: 6, logSize: 5)) { try t.store.treeHead(size: 6) }
        #expect(throws: ProofRequestError.seqOutsideTree(seq: 5, size: 4)) { try t.store.inclusionPath(seq: 5, size: 4) }
    }
}
