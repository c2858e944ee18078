/// A calendar date in China Standard Time (UTC+8), with no time of day.
///
/// Stored as a day number (days since 1970-01-01) so comparison, hashing and
/// day arithmetic are plain integer operations. Conversions to and from
/// year/month/day use Howard Hinnant's `days_from_civil` / `civil_from_days`
/// algorithms for the proleptic Gregorian calendar; no Foundation calendar
/// is involved. Dates built from year/month/day or ISO text have years 1...9999.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let dayNumber: Int32

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int32) {
        self.dayNumber = dayNumber
    }

    /// The date with the given year (1...9999), month (1...12) and day of month.
    /// - Throws: `CalendarError.invalidDate` when the date does not exist (e.g. 2023-02-29).
    public init(year: Int, month: Int, day: Int) throws(CalendarError) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { throw .invalidDate(year: year, month: month, day: day) }
        self.dayNumber = Int32(CivilDate.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD`; `nil` for any other shape or a date that does not exist.
    public init?(iso: String) {
        var string = iso
        guard let date = string.withUTF8({ CivilDate.parse($0) }) else { return nil }
        self = date
    }

    /// The CST (UTC+8) date of a Unix timestamp given in milliseconds since 1970-01-01T00:00:00Z.
    /// (China has no daylight saving time since 1991, so the offset is always +8 h.)
    /// Traps for instants more than ±5.8 million years from 1970.
    public init(instantMilliseconds: Int64) {
        let millisecondsPerDay: Int64 = 86_400_000
        let shifted = instantMilliseconds + 8 * 3_600_000
        var days = shifted / millisecondsPerDay
        if shifted % millisecondsPerDay < 0 { days -= 1 }  // floor division for instants before 1970
        self.dayNumber = Int32(days)
    }

    /// Year (1...9999 for dates made from year/month/day or ISO text).
    public var year: Int { yearMonthDay.year }
    /// Month (1...12).
    public var month: Int { yearMonthDay.month }
    /// Day of month (1...31).
    public var day: Int { yearMonthDay.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let d = Int(dayNumber)
        return ((d % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// `true` on Saturday and Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// The date `days` days later (earlier when negative). Traps beyond the `Int32` day range.
    public func adding(days: Int) -> CivilDate {
        CivilDate(dayNumber: Int32(Int(dayNumber) + days))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CivilDate) -> Int {
        Int(other.dayNumber) - Int(dayNumber)
    }

    /// `YYYY-MM-DD` (years outside 0...9999, reachable only through `init(dayNumber:)`,
    /// print with a sign or more digits).
    public var description: String {
        let (y, m, d) = yearMonthDay
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return (y < 0 ? "-" + padded(-y, 4) : padded(y, 4)) + "-" + padded(m, 2) + "-" + padded(d, 2)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    // MARK: - Civil arithmetic (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms")

    /// Year, month and day of this date.
    public var yearMonthDay: (year: Int, month: Int, day: Int) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                      // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                // [0, 365]
        let mp = (5 * doy + 2) / 153                                     // [0, 11], March-based
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400                                           // [0, 399]
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                   // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(b[i]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return try? CivilDate(year: y, month: m, day: d)
    }
}
