import Ledger

extension Timestamp {
    /// China Standard Time's offset (UTC+8), the zone of every date and time in this domain.
    public static let chinaOffsetSeconds: Int64 = 8 * 3600

    /// The instant as RFC 3339 in China Standard Time, e.g. `2023-09-28T10:00:00+08:00`: how
    /// JSON Lines, reports and history write every time.
    public var chinaTime: String { rfc3339(offsetSeconds: Int(Timestamp.chinaOffsetSeconds)) }

    /// Days since 1970-01-01 of the date in China Standard Time.
    public var chinaDayNumber: Int64 {
        Int64(CivilDate(instantMilliseconds: milliseconds).dayNumber)
    }

    /// The first instant of `date` in China Standard Time.
    public init(startOf date: CivilDate) {
        self.init(milliseconds: (Int64(date.dayNumber) * 86_400 - Timestamp.chinaOffsetSeconds) * 1000)
    }
}
