import CaseDomain
import Foundation
import Testing

@Suite("CivilDate")
struct CivilDateTests {
    @Test func epochAndKnownDays() throws {
        #expect(try CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(try CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(try CivilDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        #expect(try CivilDate(year: 2023, month: 9, day: 28).dayNumber == 19_628)
        #expect(CivilDate(dayNumber: 19_628).description == "2023-09-28")
    }

    @Test func components() throws {
        let date = try CivilDate(year: 2024, month: 2, day: 29)
        #expect(date.year == 2024)
        #expect(date.month == 2)
        #expect(date.day == 29)
        #expect(date.description == "2024-02-29")
        #expect(CivilDate(dayNumber: 0).adding(days: -719_162).description == "0001-01-01")
    }

    @Test func weekdays() {
        #expect(cst("1970-01-01").weekday == 4)  // Thursday
        #expect(cst("2023-09-28").weekday == 4)
        #expect(cst("2023-10-07").weekday == 6)  // Saturday
        #expect(cst("2024-02-04").weekday == 7)  // Sunday
        #expect(cst("2023-10-09").weekday == 1)  // Monday
        #expect(cst("1969-12-29").weekday == 1)  // before the epoch
        #expect(cst("2024-02-04").isWeekend)
        #expect(!cst("2023-10-09").isWeekend)
    }

    @Test(arguments: [(2023, 2, 29), (2023, 13, 1), (2023, 0, 1), (2023, 4, 31), (2023, 1, 0), (0, 1, 1), (10_000, 1, 1), (1900, 2, 29)])
    func invalidDatesThrow(year: Int, month: Int, day: Int) {
        #expect(throws: CalendarError.invalidDate(year: year, month: month, day: day)) {
            try CivilDate(year: year, month: month, day: day)
        }
    }

    @Test func leapDays() throws {
        _ = try CivilDate(year: 2000, month: 2, day: 29)
        _ = try CivilDate(year: 2024, month: 2, day: 29)
        #expect(CivilDate(iso: "2100-02-29") == nil)
    }

    @Test(arguments: ["", "2023-9-28", "2023/09/28", "2023-09-28 ", "20230928", "2023-02-30", "abcd-ef-gh", "+023-09-28", "2023-09-2８"])
    func isoRejects(_ text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    @Test func isoRoundTrip() {
        let first = cst("0001-01-01").dayNumber, last = cst("9999-12-31").dayNumber
        #expect(first == -719_162)
        #expect(last == 2_932_896)
        for n in stride(from: first, through: last, by: 997) + [last] {
            let date = CivilDate(dayNumber: n)
            #expect(CivilDate(iso: date.description) == date)
        }
        #expect(CivilDate(dayNumber: first - 1).description == "0000-12-31")
        #expect(CivilDate(dayNumber: first - 367).description == "-0001-12-31")
        #expect(CivilDate(dayNumber: last + 1).description == "10000-01-01")
    }

    @Test func arithmetic() {
        let a = cst("2023-12-31")
        #expect(a.adding(days: 1) == cst("2024-01-01"))
        #expect(a.adding(days: 60) == cst("2024-02-29"))
        #expect(a.adding(days: -365) == cst("2022-12-31"))
        #expect(a.days(to: cst("2024-12-31")) == 366)
        #expect(cst("2023-01-01") < cst("2023-01-02"))
    }

    @Test func instantsAreChinaStandardTime() {
        let midnightCST: Int64 = 1_695_830_400_000  // 2023-09-27T16:00:00Z = 2023-09-28T00:00+08:00
        #expect(CivilDate(instantMilliseconds: midnightCST) == cst("2023-09-28"))
        #expect(CivilDate(instantMilliseconds: midnightCST - 1) == cst("2023-09-27"))
        #expect(CivilDate(instantMilliseconds: midnightCST + 86_400_000 - 1) == cst("2023-09-28"))
        #expect(CivilDate(instantMilliseconds: 0) == cst("1970-01-01"))  // 08:00 CST
        #expect(CivilDate(instantMilliseconds: -8 * 3_600_000) == cst("1970-01-01"))
        #expect(CivilDate(instantMilliseconds: -8 * 3_600_000 - 1) == cst("1969-12-31"))
    }

    /// Cross-check against Foundation's Gregorian calendar (off the hot path, tests only).
    @Test func matchesFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        for n in stride(from: -40_000, through: 60_000, by: 37) {
            let ms = Int64(n) * 86_400_000 + Int64(n) * 7_919_113 % 86_400_000  // varying time of day
            let date = CivilDate(instantMilliseconds: ms)
            let parts = gregorian.dateComponents(
                [.year, .month, .day, .weekday],
                from: Date(timeIntervalSince1970: Double(ms) / 1000))
            #expect(date.year == parts.year)
            #expect(date.month == parts.month)
            #expect(date.day == parts.day)
            #expect(date.weekday == (parts.weekday! + 5) % 7 + 1)  // Foundation: 1 = Sunday
        }
    }
}
