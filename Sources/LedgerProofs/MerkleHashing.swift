/// The two hashes of RFC 9162 §2.1.1: a leaf is SHA-256(0x00 ‖ record), an interior node
/// SHA-256(0x01 ‖ left ‖ right). The prefixes keep a leaf from ever passing for a node.
public enum MerkleHashing {
    /// The leaf hash of one stored record.
    public static func leaf(_ record: UnsafeRawBufferPointer) -> TreeHash {
        var sha = StackSHA256()
        sha.update(byte: 0)
        sha.update(record)
        return sha.finalize()
    }

    public static func leaf(_ record: [UInt8]) -> TreeHash {
        record.withUnsafeBytes { leaf($0) }
    }

    /// The hash of an interior node.
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var both = (left, right)
        return withUnsafeBytes(of: &both) { raw in
            var sha = StackSHA256()
            sha.update(byte: 1)
            sha.update(raw)
            return sha.finalize()
        }
    }
}
