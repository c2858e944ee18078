import Foundation
import Ledger
import LedgerProofs
import Testing
import TestSupport

/// A case's paths are built reusing the siblings they share with the path before; they must
/// still be PATH(m, D[n]) exactly, whatever order the leaves come in.
@Suite("Inclusion paths that reuse shared siblings")
struct SharedPathTests {
    @Test("each case's paths from the store equal PATH for every size 1…300")
    func everyCaseEverySize() async throws {
        let (t, stored) = try await filledStore("ledger-shared-paths", count: 300)
        let reference = ReferenceTree(leaves: stored)
        for n in 1 ... 300 {
            var proven = 0
            for c in 0 ..< 7 {
                let head = try t.store.forEachProvenEvent(of: LedgerFixture.stream("PRF-\(c)"), size: UInt64(n)) { view, path in
                    proven += 1
                    #expect(path.map(\.array) == reference.path(Int(view.seq) - 1, 0 ..< n), "PATH(\(view.seq - 1), \(n))")
                }
                #expect(head.root.array == reference.mth(0 ..< n), "root of size \(n)")
            }
            #expect(proven == n)
        }
    }

    @Test("a remembering reader gives PATH for leaves in any order, repeated, and across sizes")
    func anyOrder() throws {
        let leaves = (0 ..< 700).map { i in (0 ..< 1 + i % 5).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) } }
        let reference = ReferenceTree(leaves: leaves)
        let stored = TreeReader { level, index in
            let lo = Int(index) << level
            return TreeHash(reference.mth(lo ..< lo + 1 << level))!
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 20 {
            let reader = stored.remembering()
            var n = Int.random(in: 1 ... 700, using: &rng)
            for _ in 0 ..< 60 {
                if Int.random(in: 0 ..< 10, using: &rng) == 0 { n = Int.random(in: 1 ... 700, using: &rng) }
                let m = Int.random(in: 0 ..< n, using: &rng)
                #expect(try reader.inclusionPath(leaf: UInt64(m), size: UInt64(n)).map(\.array) == reference.path(m, 0 ..< n),
                        "PATH(\(m), \(n))")
                #expect(try reader.root(size: UInt64(n)).array == reference.mth(0 ..< n))
            }
        }
    }
}
