/// Appends what `ByteWriter` appends (little-endian integers, LEB128 varints, length-prefixed
/// strings), inlined, to a buffer the caller may reuse: the views encode a row per touched case
/// per batch, and one buffer for all of them spares an allocation each.
public struct RowWriter {
    public var bytes: [UInt8]

    @inlinable
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity.
    @inlinable
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inlinable @inline(__always)
    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inlinable @inline(__always)
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    @inlinable
    public mutating func u32(_ v: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 24))
    }
    @inlinable
    public mutating func u64(_ v: UInt64) {
        u32(UInt32(truncatingIfNeeded: v))
        u32(UInt32(truncatingIfNeeded: v >> 32))
    }
    @inlinable
    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    /// Unsigned LEB128.
    @inlinable
    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    @inlinable
    public mutating func varint(_ v: Int) { varint(UInt64(v)) }

    /// A varint length, then the UTF-8 bytes.
    @inlinable
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// Presence byte, then the string.
    @inlinable
    public mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }
}
