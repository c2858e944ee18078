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
        guard let bytes = Base64.decode(base64) else { return nil }
        self.init(bytes)
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

    public var base64: String { Base64.encode(bytes) }

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

/// Standard base64 (RFC 4648 §4, with padding): what checkpoints and bundles use.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded standard base64; nil for anything else (no whitespace, no URL alphabet).
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(input.count / 4 * 3)
        var i = 0
        while i < input.count {
            var n: UInt32 = 0
            var pad = 0
            for j in 0 ..< 4 {
                let c = input[i + j]
                let v: UInt32
                switch c {
                case 65 ... 90: v = UInt32(c - 65)
                case 97 ... 122: v = UInt32(c - 71)
                case 48 ... 57: v = UInt32(c + 4)
                case 43: v = 62
                case 47: v = 63
                case 61 where i + 4 == input.count && j >= 2: v = 0; pad += 1
                default: return nil
                }
                if pad > 0 && c != 61 { return nil }
                n = n << 6 | v
            }
            out.append(UInt8(n >> 16 & 255))
            if pad < 2 { out.append(UInt8(n >> 8 & 255)) }
            if pad < 1 { out.append(UInt8(n & 255)) }
            i += 4
        }
        // Canonical form only: the unused bits of the last group must be zero.
        guard encode(out) == text else { return nil }
        return out
    }
}
