import CaseDomain
import Foundation
import Testing

@Suite("WorkCalendar")
struct WorkCalendarTests {
    @Test func loadsTheRepositoryYears() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(calendar.loadedYears == [2023, 2024, 2025, 2026])
        #expect(calendar.years == 2023...2026)
    }

    /// Days off and adjusted working days from the table in Docs/DOMAIN.md §Holiday calendars, typed in independently of the files.
    @Test(arguments: [
        (2023, ["2023-01-01...2023-01-02", "2023-01-21...2023-01-27", "2023-04-05...2023-04-05",
                "2023-04-29...2023-05-03", "2023-06-22...2023-06-24", "2023-09-29...2023-10-06"],
         ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"]),
        (2024, ["2024-01-01...2024-01-01", "2024-02-10...2024-02-17", "2024-04-04...2024-04-06",
                "2024-05-01...2024-05-05", "2024-06-10...2024-06-10", "2024-09-15...2024-09-17",
                "2024-10-01...2024-10-07"],
         ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]),
        (2025, ["2025-01-01...2025-01-01", "2025-01-28...2025-02-04", "2025-04-04...2025-04-06",
                "2025-05-01...2025-05-05", "2025-05-31...2025-06-02", "2025-10-01...2025-10-08"],
         ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
        (2026, ["2026-01-01...2026-01-03", "2026-02-15...2026-02-23", "2026-04-04...2026-04-06",
                "2026-05-01...2026-05-05", "2026-06-19...2026-06-21", "2026-09-25...2026-09-27",
                "2026-10-01...2026-10-07"],
         ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
    ])
    func domainTable(year: Int, daysOff: [String], adjusted: [String]) throws {
        let calendar = try CalendarFixtures.calendar()
        for range in daysOff {
            let ends = range.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
            var date = cst(ends[0])
            while date <= cst(ends[1]) {
                #expect(try !calendar.isWorkingDay(date), "\(date) is a day off")
                date = date.adding(days: 1)
            }
        }
        for text in adjusted {
            #expect(cst(text).isWeekend, "\(text) is a weekend day")
            #expect(try calendar.isWorkingDay(cst(text)), "\(text) is an adjusted working day")
        }
    }

    @Test func spotChecks() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.isWorkingDay(cst("2024-02-04")))   // Sunday, adjusted
        #expect(try !calendar.isWorkingDay(cst("2025-10-08")))  // Wednesday, holiday
        #expect(try calendar.isWorkingDay(cst("2026-02-28")))   // Saturday, adjusted
        #expect(try calendar.isWorkingDay(cst("2023-09-28")))   // ordinary Thursday
        #expect(try !calendar.isWorkingDay(cst("2023-09-29")))  // Mid-Autumn Festival
        #expect(try !calendar.isWorkingDay(cst("2024-03-02")))  // ordinary Saturday
        #expect(try calendar.isWorkingDay(cst("2024-06-11")))   // day after Dragon Boat
    }

    /// Working days per year (computed from the table in Docs/DOMAIN.md §Holiday calendars; matches the published totals).
    @Test(arguments: [(2023, 249), (2024, 251), (2025, 248), (2026, 248)])
    func workingDaysPerYear(year: Int, expected: Int) throws {
        let calendar = try CalendarFixtures.calendar()
        let first = try CivilDate(year: year, month: 1, day: 1)
        let last = try CivilDate(year: year, month: 12, day: 31)
        let count = try calendar.workingDays(after: first, through: last) + (calendar.isWorkingDay(first) ? 1 : 0)
        #expect(count == expected)
    }

    @Test func yearNotLoadedMessage() throws {
        let calendar = try CalendarFixtures.calendar()
        let error = #expect(throws: CalendarError.self) { try calendar.isWorkingDay(cst("2027-01-04")) }
        #expect(error == .yearNotLoaded(2027))
        #expect(error?.description == "calendar for 2027 not loaded")
        #expect("\(CalendarError.yearNotLoaded(2027))" == "calendar for 2027 not loaded")
    }

    /// The 2023 file lists 2022-12-31 as a holiday, but 2022 itself is not loaded.
    @Test func neighbourYearHolidayDoesNotLoadThatYear() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(throws: CalendarError.yearNotLoaded(2022)) { try calendar.isWorkingDay(cst("2022-12-31")) }
        #expect(throws: CalendarError.yearNotLoaded(2022)) { try calendar.isWorkingDay(cst("2022-12-30")) }
        #expect(try !calendar.isWorkingDay(cst("2023-01-02")))
    }

    /// A holiday listed by the next year's file takes effect when both years are loaded.
    @Test func neighbourYearHolidayAppliesWhenLoaded() throws {
        let calendar = try WorkCalendar(years: [
            CalendarYear(year: 2030, holidays: [], adjustedWorkdays: []),
            CalendarYear(year: 2031, holidays: ["2030-12-31", "2031-01-01"], adjustedWorkdays: []),
        ])
        #expect(try calendar.isWorkingDay(cst("2030-12-30")))   // Monday
        #expect(try !calendar.isWorkingDay(cst("2030-12-31")))  // Tuesday, from the 2031 file
        #expect(try calendar.isWorkingDay(cst("2031-01-02")))
    }

    @Test func emptyCalendar() throws {
        let calendar = try WorkCalendar(years: [])
        #expect(calendar.years == nil)
        #expect(calendar.loadedYears.isEmpty)
        #expect(throws: CalendarError.yearNotLoaded(2024)) { try calendar.isWorkingDay(cst("2024-05-06")) }
    }

    @Test func malformedDefinitionsThrow() {
        func year(_ y: Int, holidays: [String] = [], adjusted: [String] = []) -> CalendarYear {
            CalendarYear(year: y, holidays: holidays, adjustedWorkdays: adjusted)
        }
        #expect(throws: CalendarError.duplicateYear(2024)) {
            try WorkCalendar(years: [year(2024), year(2023), year(2024)])
        }
        #expect(throws: CalendarError.missingYear(2024)) {
            try WorkCalendar(years: [year(2023), year(2025)])
        }
        #expect(throws: CalendarError.badDateString("2024-2-10", calendarYear: 2024)) {
            try WorkCalendar(years: [year(2024, holidays: ["2024-2-10"])])
        }
        #expect(throws: CalendarError.badDateString("2024-02-30", calendarYear: 2024)) {
            try WorkCalendar(years: [year(2024, adjusted: ["2024-02-30"])])
        }
        #expect(throws: CalendarError.dateOutsideYear("2022-10-01", calendarYear: 2024)) {
            try WorkCalendar(years: [year(2024, holidays: ["2022-10-01"])])
        }
        #expect(throws: CalendarError.conflictingDay("2024-02-04", calendarYear: 2024)) {
            try WorkCalendar(years: [year(2024, holidays: ["2024-02-04"], adjusted: ["2024-02-04"])])
        }
        #expect(throws: CalendarError.invalidDate(year: 0, month: 1, day: 1)) {
            try WorkCalendar(years: [year(0)])
        }
        #expect(CalendarError.dateOutsideYear("2022-10-01", calendarYear: 2024).description
            == "calendar 2024: 2022-10-01 is outside 2023...2025")
    }

    @Test func loadingFiles() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("calendar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }

        #expect(throws: CalendarError.noCalendarFiles(folder.path)) { try WorkCalendar.load(directory: folder) }

        try write("README.md", "not a calendar")
        try write("2031.json", #"{"year":2031,"holidays":["2031-01-01"],"adjustedWorkdays":[]}"#)
        try write("2030.json", #"{"year":2030,"holidays":[],"adjustedWorkdays":["2030-01-05"],"source":"test"}"#)
        let calendar = try WorkCalendar.load(directory: folder)
        #expect(calendar.years == 2030...2031)
        #expect(try calendar.isWorkingDay(cst("2030-01-05")))   // Saturday, adjusted
        #expect(try !calendar.isWorkingDay(cst("2031-01-01")))

        try write("2032.json", #"{"year":2033,"holidays":[],"adjustedWorkdays":[]}"#)
        let mismatch = #expect(throws: CalendarError.self) { try WorkCalendar.load(directory: folder) }
        guard case .malformedFile(let path, _)? = mismatch else {
            Issue.record("expected malformedFile, got \(String(describing: mismatch))")
            return
        }
        #expect(path.hasSuffix("2032.json"))

        try write("2032.json", #"{"year":2032,"holidays":"#)
        let truncated = #expect(throws: CalendarError.self) { try WorkCalendar.load(directory: folder) }
        #expect(truncated?.description.hasPrefix("calendar file ") == true)
    }
}
