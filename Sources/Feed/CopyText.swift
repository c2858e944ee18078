import Ledger

/// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows ended by a newline,
/// `\N` for NULL, and a backslash before any backslash, tab, newline or carriage return in a value.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInRow = 0
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(9) }
        fieldsInRow += 1
    }

    mutating func endRow() {
        bytes.append(10)
        fieldsInRow = 0
    }

    mutating func null() {
        separate()
        bytes.append(92)
        bytes.append(78)
    }

    /// A text value, escaped.
    mutating func text(_ value: some Collection<UInt8>) {
        separate()
        for byte in value {
            switch byte {
            case 92: bytes.append(92); bytes.append(92)
            case 9: bytes.append(92); bytes.append(116)
            case 10: bytes.append(92); bytes.append(110)
            case 13: bytes.append(92); bytes.append(114)
            default: bytes.append(byte)
            }
        }
    }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { text($0) }
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        separate()
        if value == 0 { bytes.append(48); return }
        var digits: [UInt8] = []
        var magnitude = value.magnitude
        while magnitude > 0 {
            digits.append(48 + UInt8(magnitude % 10))
            magnitude /= 10
        }
        if value < 0 { bytes.append(45) }
        bytes.append(contentsOf: digits.reversed())
    }

    mutating func integer<I: BinaryInteger>(_ value: I?) {
        if let value { integer(value) } else { null() }
    }

    mutating func boolean(_ value: Bool) {
        separate()
        bytes.append(value ? 116 : 102)
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
        bytes.append(92); bytes.append(92); bytes.append(120)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: value.count * 2))
        bytes.withUnsafeMutableBufferPointer { out in
            var i = start
            for byte in value {
                out[i] = hexDigits[Int(byte >> 4)]
                out[i + 1] = hexDigits[Int(byte & 15)]
                i += 2
            }
        }
    }

    mutating func bytea(_ hash: ChainHash) { hash.withBytes { bytea($0) } }

    /// A timestamptz in UTC, to the millisecond: `2023-01-03 01:02:03.456+00`.
    mutating func timestamp(_ at: Timestamp) {
        separate()
        appendTimestamp(at.milliseconds)
    }

    mutating func timestamp(_ at: Timestamp?) {
        if let at { timestamp(at) } else { null() }
    }

    private mutating func appendTimestamp(_ milliseconds: Int64) {
        let (seconds, ms) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (s, msPart) = ms < 0 ? (seconds - 1, ms + 1000) : (seconds, ms)
        let days = s >= 0 ? s / 86_400 : -((-s + 86_399) / 86_400)
        let secondOfDay = s - days * 86_400
        let (year, month, day) = utcCivilDate(fromDays: days)
        pad(year, 4); bytes.append(45); pad(month, 2); bytes.append(45); pad(day, 2)
        bytes.append(32)
        pad(secondOfDay / 3600, 2); bytes.append(58); pad(secondOfDay / 60 % 60, 2); bytes.append(58); pad(secondOfDay % 60, 2)
        bytes.append(46); pad(msPart, 3)
        bytes.append(contentsOf: "+00".utf8)
    }

    private mutating func pad(_ value: Int64, _ width: Int) {
        var digits = [UInt8](repeating: 48, count: width)
        var v = value
        var i = width - 1
        while i >= 0 {
            digits[i] = 48 + UInt8(v % 10)
            v /= 10
            i -= 1
        }
        bytes.append(contentsOf: digits)
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

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
