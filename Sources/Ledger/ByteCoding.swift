/// Appends little-endian integers, LEB128 varints and length-prefixed strings to a byte array.
/// The stored-record and payload encodings (see `Docs/ENCODING.md`) are written with it, and the
/// views' rows. Inlinable: the views encode a row per touched stream per batch, from other modules.
public struct ByteWriter: Sendable {
    /// What has been written.
    public var bytes: [UInt8] { buffer }
    @usableFromInline var buffer: [UInt8]

    @inlinable
    public init(capacity: Int = 256) {
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity (one buffer can encode many rows).
    @inlinable
    public mutating func reset() { buffer.removeAll(keepingCapacity: true) }

    @inlinable @inline(__always)
    public mutating func u8(_ v: UInt8) { buffer.append(v) }
    @inlinable @inline(__always)
    public mutating func bool(_ v: Bool) { buffer.append(v ? 1 : 0) }
    @inlinable
    public mutating func u16(_ v: UInt16) {
        buffer.append(UInt8(truncatingIfNeeded: v))
        buffer.append(UInt8(truncatingIfNeeded: v >> 8))
    }
    @inlinable
    public mutating func u32(_ v: UInt32) {
        buffer.append(UInt8(truncatingIfNeeded: v))
        buffer.append(UInt8(truncatingIfNeeded: v >> 8))
        buffer.append(UInt8(truncatingIfNeeded: v >> 16))
        buffer.append(UInt8(truncatingIfNeeded: v >> 24))
    }
    @inlinable
    public mutating func u64(_ v: UInt64) {
        u32(UInt32(truncatingIfNeeded: v))
        u32(UInt32(truncatingIfNeeded: v >> 32))
    }
    @inlinable
    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    @inlinable
    public mutating func raw<C: Collection>(_ v: C) where C.Element == UInt8 { buffer.append(contentsOf: v) }

    /// Unsigned LEB128: 1 byte below 128, 2 below 16384, …
    @inlinable
    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }

    @inlinable
    public mutating func varint(_ v: Int) { varint(UInt64(v)) }

    /// A varint length, then the UTF-8 bytes.
    @inlinable
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(utf8.count)
            buffer.append(contentsOf: utf8)
        }
    }

    /// Presence byte, then the string.
    @inlinable
    public mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }

    /// A varint count, then each string.
    @inlinable
    public mutating func strings(_ list: [String]) {
        varint(list.count)
        for s in list { string(s) }
    }
}

/// Why stored bytes could not be decoded.
public struct ByteDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "malformed bytes: \(reason)" }
}

/// Reads what `ByteWriter` wrote, in place. It borrows the buffer: valid only while the buffer is.
public struct ByteReader {
    public let buffer: UnsafeRawBufferPointer
    public private(set) var offset: Int = 0

    public init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    public var remaining: Int { buffer.count - offset }
    public var isAtEnd: Bool { offset == buffer.count }

    @inline(__always)
    private mutating func take(_ n: Int) throws(ByteDecodingError) -> Int {
        guard n >= 0, n <= remaining else { throw ByteDecodingError("truncated at byte \(offset) (wanted \(n) more)") }
        defer { offset += n }
        return offset
    }

    public mutating func u8() throws(ByteDecodingError) -> UInt8 { buffer[try take(1)] }
    public mutating func bool() throws(ByteDecodingError) -> Bool {
        let v = try u8()
        guard v <= 1 else { throw ByteDecodingError("bad boolean \(v) at byte \(offset - 1)") }
        return v == 1
    }
    public mutating func u16() throws(ByteDecodingError) -> UInt16 {
        UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: try take(2), as: UInt16.self))
    }
    public mutating func u32() throws(ByteDecodingError) -> UInt32 {
        UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self))
    }
    public mutating func u64() throws(ByteDecodingError) -> UInt64 {
        UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self))
    }
    public mutating func i64() throws(ByteDecodingError) -> Int64 { Int64(bitPattern: try u64()) }

    public mutating func varint() throws(ByteDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            guard shift < 64 else { throw ByteDecodingError("varint too long at byte \(offset)") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func int() throws(ByteDecodingError) -> Int {
        let v = try varint()
        guard v <= UInt64(Int.max) else { throw ByteDecodingError("integer out of range") }
        return Int(v)
    }

    /// `n` bytes in place.
    public mutating func bytes(_ n: Int) throws(ByteDecodingError) -> UnsafeRawBufferPointer {
        let start = try take(n)
        return UnsafeRawBufferPointer(rebasing: buffer[start ..< start + n])
    }

    public mutating func string() throws(ByteDecodingError) -> String {
        let raw = try bytes(try int())
        return String(decoding: raw, as: UTF8.self)
    }

    public mutating func optionalString() throws(ByteDecodingError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func strings() throws(ByteDecodingError) -> [String] {
        let n = try int()
        guard n <= remaining else { throw ByteDecodingError("list count \(n) exceeds the record") }
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0 ..< n { list.append(try string()) }
        return list
    }
}
