import Crypto
import LedgerProofs
import Testing

/// The log's hashes are computed on the stack with BoringSSL's own calls; they must equal
/// swift-crypto's `SHA256` byte for byte, at every length around the 64-byte block boundaries.
@Suite("SHA-256 on the stack equals swift-crypto's SHA256")
struct StackSHA256Tests {
    static func bytes(_ count: Int, seed: Int) -> [UInt8] { (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ seed) } }
    static func reference(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    @Test("a chain link: SHA-256(first ‖ second)", arguments: [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 127, 128, 300])
    func link(length: Int) {
        let first = Self.bytes(32, seed: 7), second = Self.bytes(length, seed: length)
        let hash = first.withUnsafeBytes { a in second.withUnsafeBytes { b in TreeHash.sha256(a, b) } }
        #expect(hash.bytes == Self.reference(first + second))
    }

    @Test("a leaf, SHA-256(0x00 ‖ record), and a node, SHA-256(0x01 ‖ left ‖ right)", arguments: [0, 1, 54, 55, 63, 64, 200, 1_000])
    func leafAndNode(length: Int) {
        let record = Self.bytes(length, seed: 3)
        let leaf = MerkleHashing.leaf(record)
        #expect(leaf.bytes == Self.reference([0] + record))
        let other = MerkleHashing.leaf(Self.bytes(length + 1, seed: 5))
        #expect(MerkleHashing.node(leaf, other).bytes == Self.reference([1] + leaf.bytes + other.bytes))
    }
}
