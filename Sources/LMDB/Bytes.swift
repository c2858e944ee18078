import CLMDB

/// A type stored as LMDB key or value bytes.
///
/// Encodings must be order-preserving where the type is used as a key: integers are stored
/// big-endian so that LMDB's byte order is numeric order.
public protocol LMDBBytes {
    /// Calls `body` with the encoded bytes; the buffer is valid only inside `body`.
    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// Decodes a value from bytes that LMDB owns; copy what you keep.
    init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError)
}

extension Array: LMDBBytes where Element == UInt8 {
    @inlinable
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
    public init(lmdbBytes: UnsafeRawBufferPointer) { self.init(lmdbBytes) }
}

extension String: LMDBBytes {
    @inlinable
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
    public init(lmdbBytes: UnsafeRawBufferPointer) {
        self = String(decoding: lmdbBytes, as: UTF8.self)
    }
}

extension UInt64: LMDBBytes {
    @inlinable
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: bigEndian, body)
    }
    @inlinable
    public init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError) {
        guard lmdbBytes.count == 8 else { throw LMDBError(code: MDB_BAD_VALSIZE, operation: "decode UInt64") }
        self = UInt64(bigEndian: lmdbBytes.loadUnaligned(as: UInt64.self))
    }
}

extension UInt32: LMDBBytes {
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: bigEndian, body)
    }
    public init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError) {
        guard lmdbBytes.count == 4 else { throw LMDBError(code: MDB_BAD_VALSIZE, operation: "decode UInt32") }
        self = UInt32(bigEndian: lmdbBytes.loadUnaligned(as: UInt32.self))
    }
}

/// Runs `body` with an `MDB_val` pointing at `bytes` (valid only inside `body`).
@inlinable @inline(__always)
func withMDBVal<B: LMDBBytes, R>(_ bytes: B, _ body: (inout MDB_val) throws -> R) rethrows -> R {
    try bytes.withLMDBBytes { raw in
        var val = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
        return try body(&val)
    }
}

extension MDB_val {
    /// The bytes LMDB owns; valid until the transaction ends or the next write to the database.
    @inlinable @inline(__always)
    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: mv_data, count: mv_size) }
}
