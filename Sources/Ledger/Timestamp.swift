/// An instant, in milliseconds since the Unix epoch (UTC). Stored in every record. Its
/// description is RFC 3339 in UTC (`2023-09-28T02:00:00Z`); a domain that lives in one time zone
/// formats it in that zone itself.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    /// The current time.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`. A zone is required.
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self = parsed
    }

    /// The instant as RFC 3339 in UTC; milliseconds only when non-zero.
    public var description: String { rfc3339(offsetSeconds: 0) }

    /// The instant as RFC 3339 at a fixed offset from UTC (`Z` for 0, else `±HH:MM`);
    /// milliseconds only when non-zero.
    public func rfc3339(offsetSeconds: Int) -> String {
        let local = milliseconds + Int64(offsetSeconds) * 1000
        let days = floorDiv(local, 86_400_000)
        let msOfDay = local - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        let secs = msOfDay / 1000, ms = msOfDay % 1000
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if ms != 0 { out += ".\(pad(ms, 3))" }
        guard offsetSeconds != 0 else { return out + "Z" }
        let minutes = Int64(abs(offsetSeconds) / 60)
        return out + (offsetSeconds < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
    }

    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= s.count else { return nil }
            var v: Int64 = 0
            for _ in 0 ..< n {
                let c = s[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
                i += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2) else { return nil }
        guard i < s.count, s[i] == 84 || s[i] == 116 || s[i] == 32 else { return nil }
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2), expect(58), let sec = digits(2) else { return nil }
        guard (1 ... 12).contains(mo), d >= 1, d <= daysInMonth(y, mo), h < 24, mi < 60, sec < 60 else { return nil }
        var ms: Int64 = 0
        if i < s.count, s[i] == 46 {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < s.count, s[i] >= 48, s[i] <= 57 {
                ms += Int64(s[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < s.count else { return nil }
        var offset: Int64
        if s[i] == 90 || s[i] == 122 {
            offset = 0
            i += 1
        } else if s[i] == 43 || s[i] == 45 {
            let sign: Int64 = s[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(58), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let days = days(fromCivil: y, mo, d)
        let seconds = days * 86_400 + h * 3600 + mi * 60 + sec - offset
        return Timestamp(milliseconds: seconds * 1000 + ms)
    }
}

private func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
func days(fromCivil y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y - 1 : y
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number (H. Hinnant's `civil_from_days`).
func civil(fromDays z: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = z + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
}

/// Days in a month of the proleptic Gregorian calendar.
func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
    switch m {
    case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

#if canImport(Glibc)
import Glibc
#endif
