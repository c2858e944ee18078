import LedgerProofs

/// A SHA-256 link of the hash chain: `hash(n) = SHA-256(hash(n-1) ‖ stored bytes of record n)`,
/// with `hash(0)` = 32 zero bytes. Stored without allocation (four words, in byte order).
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    private var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The link before the first record.
    public static let genesis = ChainHash(w0: 0, w1: 0, w2: 0, w3: 0)

    private init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// Reads 32 bytes.
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        w0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        guard let parsed = TreeHash(hex: hex) else { return nil }
        self = parsed.withBytes { ChainHash(bytes: $0) }
    }

    /// Calls `body` with the 32 bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: self) { try body($0) }
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// The 64 lower-case hex digits (written as the tree's hashes are).
    public var hex: String { withBytes { TreeHash(bytes: $0).hex } }

    public var description: String { hex }

    /// The next link: SHA-256 of this hash followed by `body`.
    public func linking(_ body: UnsafeRawBufferPointer) -> ChainHash {
        withBytes { TreeHash.sha256($0, body) }.withBytes { ChainHash(bytes: $0) }
    }
}


/// A published point of the chain, written `SEQ:HEX`. Anyone holding one can later check that
/// the log up to `seq` was not rewritten.
public struct ChainDigest: Hashable, Sendable, CustomStringConvertible {
    public var seq: UInt64
    public var hash: ChainHash

    public init(seq: UInt64, hash: ChainHash) {
        self.seq = seq
        self.hash = hash
    }

    /// Parses `SEQ:HEX`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = UInt64(parts[0]), let hash = ChainHash(hex: String(parts[1])) else {
            return nil
        }
        self.init(seq: seq, hash: hash)
    }

    public var description: String { "\(seq):\(hash.hex)" }
}
