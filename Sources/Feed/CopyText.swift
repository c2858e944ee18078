import Ledger
import PostgresNIO

/// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows ended by a newline,
/// `\N` for NULL, and a backslash before any backslash, tab, newline or carriage return in a value.
///
/// A batch is about 40 MB of rows, a million events about 800 MB; the rows are written straight
/// into the buffer the COPY sends (through a pointer, with room reserved for the longest form of
/// each value), so a row costs no allocation and no copy.
struct CopyText: Sendable {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    var isEmpty: Bool { buffer.readableBytes == 0 }
    /// A copy of the rows.
    var bytes: [UInt8] { Array(buffer.readableBytesView) }

    /// Lets `body` write at most `maxCount` bytes at the end of the rows; it returns how many it wrote.
    @inline(__always)
    mutating func write(upTo maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maxCount) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Starts a field (after a tab, unless it is the row's first).
    mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(9)) }
        fieldsInRow += 1
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(10))
        fieldsInRow = 0
    }

    mutating func null() {
        separate()
        buffer.writeInteger(UInt16(0x5C4E))  // \N
    }

    /// A text value, escaped.
    mutating func text(_ value: UnsafeRawBufferPointer) {
        separate()
        escaped(value)
    }

    mutating func text(_ value: some Collection<UInt8>) {
        if value.withContiguousStorageIfAvailable({ text(UnsafeRawBufferPointer($0)) }) == nil {
            Array(value).withUnsafeBytes { text($0) }
        }
    }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    /// Bytes of a value already begun, escaped for COPY (a backslash doubled, a tab, newline or
    /// carriage return as `\t`, `\n`, `\r`).
    mutating func escaped(_ value: UnsafeRawBufferPointer) {
        write(upTo: value.count * 2) { out in
            var n = 0
            for byte in value {
                switch byte {
                case 92: out[n] = 92; out[n + 1] = 92; n += 2
                case 9: out[n] = 92; out[n + 1] = 116; n += 2
                case 10: out[n] = 92; out[n + 1] = 110; n += 2
                case 13: out[n] = 92; out[n + 1] = 114; n += 2
                default: out[n] = byte; n += 1
                }
            }
            return n
        }
    }

    /// Bytes that need no escaping (ASCII without backslash, tab, newline or carriage return), as they are.
    mutating func raw(_ value: StaticString) {
        buffer.writeBytes(UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        separate()
        decimal(value)
    }

    mutating func integer<I: BinaryInteger>(_ value: I?) {
        if let value { integer(value) } else { null() }
    }

    /// An integer's decimal digits, in a value already begun.
    mutating func decimal<I: BinaryInteger>(_ value: I) {
        var magnitude = UInt64(value.magnitude)
        let negative = value < 0
        write(upTo: 21) { out in
            var digits = 1
            var rest = magnitude / 10
            while rest > 0 { digits += 1; rest /= 10 }
            var n = 0
            if negative { out[0] = 45; n = 1 }
            var i = n + digits - 1
            while i >= n {
                out[i] = 48 + UInt8(magnitude % 10)
                magnitude /= 10
                i -= 1
            }
            return n + digits
        }
    }

    mutating func boolean(_ value: Bool) {
        separate()
        buffer.writeInteger(value ? UInt8(116) : UInt8(102))
    }

    mutating func boolean(_ value: Bool?) {
        if let value { boolean(value) } else { null() }
    }

    mutating func double(_ value: Double?) {
        guard let value else { null(); return }
        text("\(value)")
    }

    /// A bytea value in hex form (`\x…`, its backslash escaped for COPY).
    mutating func bytea(_ value: UnsafeRawBufferPointer) {
        separate()
        write(upTo: 3 + value.count * 2) { out in
            out[0] = 92; out[1] = 92; out[2] = 120
            let pairs = UnsafeMutableRawPointer(out + 3)
            hexPairs.withUnsafeBufferPointer { table in
                for (i, byte) in value.enumerated() {
                    pairs.storeBytes(of: table[Int(byte)], toByteOffset: 2 * i, as: UInt16.self)
                }
            }
            return 3 + value.count * 2
        }
    }

    mutating func bytea(_ hash: ChainHash) { hash.withBytes { bytea($0) } }

    /// A timestamptz in UTC, to the millisecond: `2023-01-03 01:02:03.456+00`.
    mutating func timestamp(_ at: Timestamp) {
        separate()
        let (seconds, ms) = at.milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (s, msPart) = ms < 0 ? (seconds - 1, ms + 1000) : (seconds, ms)
        let days = s >= 0 ? s / 86_400 : -((-s + 86_399) / 86_400)
        let secondOfDay = s - days * 86_400
        let (year, month, day) = utcCivilDate(fromDays: days)
        if (0 ... 9999).contains(year) {
            write(upTo: 4) { out in putDigits(out, year, 4); return 4 }
        } else {
            decimal(year)  // not a time a hall records; PostgreSQL refuses what it cannot read
        }
        write(upTo: 22) { out in
            out[0] = 45; putDigits(out + 1, month, 2); out[3] = 45; putDigits(out + 4, day, 2)
            out[6] = 32
            putDigits(out + 7, secondOfDay / 3600, 2); out[9] = 58
            putDigits(out + 10, secondOfDay / 60 % 60, 2); out[12] = 58
            putDigits(out + 13, secondOfDay % 60, 2)
            out[15] = 46; putDigits(out + 16, msPart, 3)
            out[19] = 43; out[20] = 48; out[21] = 48
            return 22
        }
    }

    mutating func timestamp(_ at: Timestamp?) {
        if let at { timestamp(at) } else { null() }
    }
}

/// Each byte's two lower-case hex digits, as they lie in memory.
private let hexPairs: [UInt16] = (0 ..< 256).map { byte in
    let (high, low) = (hexDigit(UInt8(byte >> 4)), hexDigit(UInt8(byte & 15)))
    return UInt16(littleEndian: UInt16(high) | UInt16(low) << 8)
}

/// A lower-case hex digit of a nibble.
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }

/// `value`'s last `width` decimal digits at `out`, zero-padded.
@inline(__always)
func putDigits(_ out: UnsafeMutablePointer<UInt8>, _ value: Int64, _ width: Int) {
    var v = value
    var i = width - 1
    while i >= 0 {
        out[i] = 48 + UInt8(v % 10)
        v /= 10
        i -= 1
    }
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian).
func utcCivilDate(fromDays z: Int64) -> (Int64, Int64, Int64) {
    let z = z + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}
