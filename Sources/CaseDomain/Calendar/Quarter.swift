
/// A calendar quarter, e.g. 2023Q3: the unit of the 金牌窗口 rounds and of quarterly reports.
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1…4
    public var quarter: Int

    public init(year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    public init(_ date: CivilDate) {
        let (year, month, _) = date.yearMonthDay
        self.init(year: year, quarter: (month - 1) / 3 + 1)
    }

    /// Parses `2023Q3`.
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "Q")
        guard parts.count == 2, let y = Int(parts[0]), let q = Int(parts[1]), (1 ... 4).contains(q) else { return nil }
        self.init(year: y, quarter: q)
    }

    public var description: String { "\(year)Q\(quarter)" }
    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }
}
