import Foundation
import LedgerProofs

/// A small log with its Merkle tree, a signed checkpoint over it, and the bundles an auditor is
/// handed: the proof fuzzers' starting points, and the truth their findings are judged against.
public struct ProofCorpus: Sendable {
    /// The log's leaves: the corpus's stored records (one case, versions 0, 1, …), then other bytes.
    public let leaves: [[UInt8]]
    /// How many of `leaves` are records of `caseNumber`.
    public let caseRecords: Int
    public let caseNumber: String
    public let key: LogSigningKey
    public let checkpoint: Checkpoint
    public let signedText: String
    /// The signed text with a second signature line, by another key (a witness), before ours.
    public let witnessedText: String
    /// Bundle documents: the case's inclusion, and consistency from an odd and a power-of-two size.
    public let bundles: [[UInt8]]
    /// The root of the first `n` leaves, for n in 0 ... leaves.count.
    public let roots: [TreeHash]
    public let leafHashes: [TreeHash]

    public static let origin = "bureau.example/ledger"

    public init() throws {
        let records = try FuzzCorpus.records()
        caseRecords = records.count
        caseNumber = try RecordFields(record: records[0]).caseNumber
        // 21 leaves: an odd size, so paths have both full and partial levels.
        var leaves = records
        var filler = 0
        while leaves.count < 21 {
            leaves.append(Array(FuzzCorpus.lines[filler % FuzzCorpus.lines.count].utf8) + [UInt8(filler)])
            filler += 1
        }
        self.leaves = leaves
        leafHashes = leaves.map { MerkleHashing.leaf($0) }
        let hashes = leafHashes
        let reader = TreeReader { level, index in
            ProofCorpus.hash(hashes, Int(index) << level, (Int(index) + 1) << level)
        }
        roots = try (0 ... leaves.count).map { try reader.root(size: UInt64($0)) }
        // A fixed key: the same seed gives the same texts, so a failure replays.
        key = try LogSigningKey(fileText: "ed25519-private:" + Base64.encode((0 ..< 32).map { UInt8($0 * 7 + 1) }) + "\n")
        let size = UInt64(leaves.count)
        checkpoint = Checkpoint(origin: ProofCorpus.origin, size: size, root: roots[leaves.count])
        signedText = try SignedCheckpoint(signing: checkpoint, with: key).text
        let witness = try LogSigningKey(fileText: "ed25519-private:" + Base64.encode((0 ..< 32).map { UInt8(255 - $0) }) + "\n")
        let witnessLine = try SignedCheckpoint(signing: checkpoint, with: witness).text.split(separator: "\n").last!
        let split = signedText.range(of: "\n\n")!
        witnessedText = String(signedText[..<split.upperBound]) + witnessLine + "\n" + String(signedText[split.upperBound...])

        let proven = try (0 ..< records.count).map { i in
            ProvenRecord(seq: UInt64(i + 1), version: UInt32(i), record: records[i],
                         path: try reader.inclusionPath(leaf: UInt64(i), size: size), event: nil)
        }
        bundles = try [
            ProofBundle.inclusion(checkpoint: signedText, caseNumber: caseNumber, records: proven).json,
            ProofBundle.consistency(oldSize: 5, oldRoot: roots[5], checkpoint: signedText,
                                    proof: try reader.consistencyProof(from: 5, to: size)).json,
            ProofBundle.consistency(oldSize: 8, oldRoot: roots[8], checkpoint: witnessedText,
                                    proof: try reader.consistencyProof(from: 8, to: size)).json,
        ]
    }

    /// MTH of `hashes[lo ..< hi]` by the RFC's recursion, straight from the leaves (the reference).
    static func hash(_ hashes: [TreeHash], _ lo: Int, _ hi: Int) -> TreeHash {
        let n = hi - lo
        if n == 0 { return TreeHash.empty }
        if n == 1 { return hashes[lo] }
        var k = 1
        while k * 2 < n { k *= 2 }
        return MerkleHashing.node(hash(hashes, lo, lo + k), hash(hashes, lo + k, hi))
    }

    /// A tree reader over the corpus's leaves.
    public var reader: TreeReader {
        let hashes = leafHashes
        return TreeReader { level, index in ProofCorpus.hash(hashes, Int(index) << level, (Int(index) + 1) << level) }
    }
}
