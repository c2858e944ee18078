import Crypto

/// A node of the log's Merkle tree (RFC 9162 §2.1): 32 bytes, held without allocation.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    private var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Reads 32 bytes.
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        w0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// 32 bytes, or nil for any other count.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { TreeHash(bytes: $0) }
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0 ..< 32 {
            guard let hi = hexDigit(utf8[2 * i]), let lo = hexDigit(utf8[2 * i + 1]) else { return nil }
            bytes[i] = hi << 4 | lo
        }
        self.init(bytes)
    }

    /// Parses standard base64 of 32 bytes.
    public init?(base64: String) {
        var text = base64
        guard let hash = text.withUTF8({ TreeHash(base64: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = hash
    }

    /// Parses standard base64 of 32 bytes from UTF-8 bytes, without allocating.
    init?(base64 utf8: UnsafeRawBufferPointer) {
        guard utf8.count == 44 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        guard withUnsafeMutableBytes(of: &words, { Base64.decode(utf8, into: $0) }) else { return nil }
        self = withUnsafeBytes(of: &words) { TreeHash(bytes: $0) }
    }

    /// Calls `body` with the 32 bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: self) { try body($0) }
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        withBytes { for b in $0 { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) } }
        return String(decoding: out, as: UTF8.self)
    }

    public var base64: String {
        var out: [UInt8] = []
        appendBase64(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 44 bytes of the base64 text to `out`.
    func appendBase64(to out: inout [UInt8]) {
        withBytes { Base64.append($0, to: &out) }
    }

    public var description: String { hex }

    /// The root of the empty tree: SHA-256 of nothing.
    public static let empty = SHA256.hash(data: [UInt8]()).withUnsafeBytes { TreeHash(bytes: $0) }
}

func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case 48 ... 57: c - 48
    case 97 ... 102: c - 87
    case 65 ... 70: c - 55
    default: nil
    }
}
