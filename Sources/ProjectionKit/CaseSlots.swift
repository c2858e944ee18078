import LMDB

/// Case numbers keyed by their raw UTF-8 bytes (as the stored record holds them), each given a
/// dense slot number in first-seen order. `EventBatch` indexes a batch's cases with it.
///
/// Per-batch caches keyed by `String` made every view build a String per event and hash it with
/// SipHash in several dictionaries. Here the key bytes are copied once per case into an arena and
/// looked up with a cheap multiplicative hash in an open-addressing table; callers keep per-case
/// state in arrays indexed by slot. Nothing is iterated in hash order: `sortedSlots()` gives the
/// slots in key byte order (LMDB's).
public struct CaseSlots {
    /// Every key's bytes, back to back; slot `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var offsets: [Int] = [0]
    @usableFromInline var hashes: [UInt64] = []
    /// The first 16 key bytes of each slot as two big-endian words (zero-padded): most
    /// comparisons of the key-order sort end there.
    @usableFromInline var prefixes: [(UInt64, UInt64)] = []
    /// Open addressing, power-of-two size: slot + 1, or 0 when empty.
    @usableFromInline var buckets: [Int32]
    @usableFromInline var mask: Int

    /// `expected`: about how many cases the batch will touch (the table grows beyond it).
    public init(expected: Int = 1024) {
        var size = 64
        while size < expected * 2 { size <<= 1 }
        buckets = Array(repeating: 0, count: size)
        mask = size - 1
        hashes.reserveCapacity(expected)
        prefixes.reserveCapacity(expected)
        offsets.reserveCapacity(expected + 1)
        arena.reserveCapacity(expected * 16)
    }

    /// Number of slots (cases touched).
    public var count: Int { hashes.count }

    /// The slot of `key`, and whether it was added just now.
    @inlinable
    public mutating func slot(for key: UnsafeRawBufferPointer) -> (slot: Int, isNew: Bool) {
        let hash = CaseSlots.hash(key)
        var i = Int(truncatingIfNeeded: hash >> 32) & mask
        while true {
            let entry = Int(buckets[i])
            if entry == 0 { break }
            let slot = entry - 1
            if hashes[slot] == hash && keyEquals(slot, key) { return (slot, false) }
            i = (i + 1) & mask
        }
        let slot = hashes.count
        buckets[i] = Int32(slot + 1)
        hashes.append(hash)
        prefixes.append(CaseSlots.prefix(key))
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        if hashes.count * 2 > buckets.count { grow() }
        return (slot, true)
    }

    /// Runs `body` on the key bytes of `slot`.
    @inlinable
    public func withKey<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = offsets[slot], end = offsets[slot + 1]
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start ..< end])) }
    }

    /// The key of `slot` as a String.
    public func string(_ slot: Int) -> String {
        withKey(slot) { String(decoding: $0, as: UTF8.self) }
    }

    /// The slots in key byte order (LMDB's key order).
    public func sortedSlots() -> [Int] {
        var order = Array(0 ..< count)
        prefixes.withUnsafeBufferPointer { prefixes in
            arena.withUnsafeBytes { arena in
                order.sort { a, b in
                    let pa = prefixes[a], pb = prefixes[b]
                    if pa.0 != pb.0 { return pa.0 < pb.0 }
                    if pa.1 != pb.1 { return pa.1 < pb.1 }
                    let ka = UnsafeRawBufferPointer(rebasing: arena[offsets[a] ..< offsets[a + 1]])
                    let kb = UnsafeRawBufferPointer(rebasing: arena[offsets[b] ..< offsets[b + 1]])
                    return ka.lexicographicallyPrecedes(kb)
                }
            }
        }
        return order
    }

    @usableFromInline
    func keyEquals(_ slot: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[slot], end = offsets[slot + 1]
        guard end - start == key.count else { return false }
        return arena.withUnsafeBytes { arena in
            var i = 0
            let n = key.count
            while i + 8 <= n {
                if arena.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) != key.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i += 8
            }
            if i == n { return true }
            if n >= 8 {
                return arena.loadUnaligned(fromByteOffset: start + n - 8, as: UInt64.self)
                    == key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            }
            while i < n {
                if arena[start + i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }

    @usableFromInline
    mutating func grow() {
        let size = buckets.count * 2
        var fresh = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for slot in hashes.indices {
            var i = Int(truncatingIfNeeded: hashes[slot] >> 32) & mask
            while fresh[i] != 0 { i = (i + 1) & mask }
            fresh[i] = Int32(slot + 1)
        }
        buckets = fresh
        self.mask = mask
    }

    /// A fast, well-mixed 64-bit hash of a short byte string (not for adversarial input: case
    /// numbers are validated, and a clash only costs a probe).
    @inlinable
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
            if i < n {
                h = (h ^ key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
                h ^= h >> 29
            }
        } else {
            var tail: UInt64 = 0
            for i in 0 ..< n { tail |= UInt64(key[i]) << (8 * UInt64(i)) }
            h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    @usableFromInline
    static func prefix(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var a: UInt64 = 0, b: UInt64 = 0
        for i in 0 ..< min(key.count, 8) { a |= UInt64(key[i]) << (56 - 8 * UInt64(i)) }
        if key.count > 8 {
            for i in 8 ..< min(key.count, 16) { b |= UInt64(key[i]) << (56 - 8 * UInt64(i - 8)) }
        }
        return (a, b)
    }
}

/// Borrowed bytes used as an LMDB key (a case number straight from a stored record or a slot).
/// Valid only while the buffer is.
public struct BorrowedBytes: LMDBBytes {
    public let buffer: UnsafeRawBufferPointer

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    @inlinable
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(buffer) }

    /// Borrows LMDB's bytes (valid until the transaction ends or the database is written).
    public init(lmdbBytes: UnsafeRawBufferPointer) { buffer = lmdbBytes }
}
