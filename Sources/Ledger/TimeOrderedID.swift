import Foundation

extension UUID {
    /// A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
    /// Ids made this way sort by time, so the log's id index grows at its end instead of
    /// touching random pages — appends stay fast as the log grows. Use them for new events.
    public static func timeOrdered(milliseconds: Int64, random high: UInt64, _ low: UInt64) -> UUID {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            let ms = UInt64(bitPattern: milliseconds) & 0xFFFF_FFFF_FFFF
            raw.storeBytes(of: (ms << 16 | (high & 0xFFFF)).bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw[6] = (raw[6] & 0x0F) | 0x70
            raw[8] = (raw[8] & 0x3F) | 0x80
        }
        return UUID(uuid: bytes)
    }

    /// A version-7 UUID for now, with random bits from the system generator.
    public static func timeOrdered() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return timeOrdered(milliseconds: Timestamp.now().milliseconds, random: generator.next(), generator.next())
    }
}
