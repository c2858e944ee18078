import Crypto

/// The two hashes of RFC 9162 §2.1.1: a leaf is SHA-256(0x00 ‖ record), an interior node
/// SHA-256(0x01 ‖ left ‖ right). The prefixes keep a leaf from ever passing for a node.
public enum MerkleHashing {
    /// Copying an initialised hasher is cheaper than initialising one per hash. Constant values
    /// only ever copied, never mutated in place: safe to share although `SHA256` is not `Sendable`.
    nonisolated(unsafe) private static let leafHasher: SHA256 = {
        var sha = SHA256()
        sha.update(data: [UInt8(0)])
        return sha
    }()
    nonisolated(unsafe) private static let nodeHasher: SHA256 = {
        var sha = SHA256()
        sha.update(data: [UInt8(1)])
        return sha
    }()

    /// The leaf hash of one stored record.
    public static func leaf(_ record: UnsafeRawBufferPointer) -> TreeHash {
        var sha = leafHasher
        sha.update(bufferPointer: record)
        return sha.finalize().withUnsafeBytes { TreeHash(bytes: $0) }
    }

    public static func leaf(_ record: [UInt8]) -> TreeHash {
        record.withUnsafeBytes { leaf($0) }
    }

    /// The hash of an interior node.
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var both = (left, right)
        return withUnsafeBytes(of: &both) { raw in
            var sha = nodeHasher
            sha.update(bufferPointer: raw)
            return sha.finalize().withUnsafeBytes { TreeHash(bytes: $0) }
        }
    }
}
