/// The log's size and Merkle root, written `SIZE:HEX` (the form `ledger digest` prints and
/// `ledger prove --from` reads).
public struct TreeHead: Hashable, Sendable, CustomStringConvertible {
    public var size: UInt64
    public var root: TreeHash

    public init(size: UInt64, root: TreeHash) {
        self.size = size
        self.root = root
    }

    /// Parses `SIZE:HEX` (64 hex digits).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = UInt64(parts[0]), String(size) == parts[0],
              let root = TreeHash(hex: String(parts[1])) else { return nil }
        self.init(size: size, root: root)
    }

    public var description: String { "\(size):\(root.hex)" }
}
