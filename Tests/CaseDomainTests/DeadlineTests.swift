import CaseDomain
import Testing

@Suite("Deadlines and working-day counts")
struct DeadlineTests {
    /// Docs/DOMAIN.md §Time limits: accepted Thu 2023-09-28, limit 3 → 9/29–10/6 holidays, Sat 10/7 and Sun 10/8
    /// worked → deadline Mon 2023-10-09.
    @Test func midAutumnAndNationalDay2023() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: cst("2023-09-28"), workingDays: 1) == cst("2023-10-07"))
        #expect(try calendar.deadline(acceptedOn: cst("2023-09-28"), workingDays: 2) == cst("2023-10-08"))
        #expect(try calendar.deadline(acceptedOn: cst("2023-09-28"), workingDays: 3) == cst("2023-10-09"))
    }

    /// Docs/DOMAIN.md §Time limits: accepted Fri 2023-01-20, limit 5 → 1/21–1/27 holidays; 1/28 (Sat), 1/29 (Sun),
    /// 1/30, 1/31, 2/1 → deadline Wed 2023-02-01.
    @Test func springFestival2023() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: cst("2023-01-20"), workingDays: 5) == cst("2023-02-01"))
        #expect(try calendar.workingDays(after: cst("2023-01-20"), through: cst("2023-02-01")) == 5)
    }

    @Test func zeroLimitIsTheSameDay() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: cst("2023-09-28"), workingDays: 0) == cst("2023-09-28"))
        #expect(try calendar.deadline(acceptedOn: cst("2023-10-01"), workingDays: 0) == cst("2023-10-01"))  // even on a holiday
        #expect(try calendar.deadline(acceptedOn: cst("2026-12-31"), workingDays: 0) == cst("2026-12-31"))
    }

    @Test func acceptedOnAHolidayOrWeekend() throws {
        let calendar = try CalendarFixtures.calendar()
        // Sun 2023-10-01 (holiday): next working days are Sat 10/7, Sun 10/8, Mon 10/9.
        #expect(try calendar.deadline(acceptedOn: cst("2023-10-01"), workingDays: 1) == cst("2023-10-07"))
        #expect(try calendar.deadline(acceptedOn: cst("2023-10-01"), workingDays: 3) == cst("2023-10-09"))
        // Sat 2024-03-02 (ordinary weekend): Mon 3/4 is the first working day.
        #expect(try calendar.deadline(acceptedOn: cst("2024-03-02"), workingDays: 1) == cst("2024-03-04"))
        // Accepted on an adjusted working day (Sun 2024-02-04): Mon 2/5 … Fri 2/9, then
        // 2/10–2/17 off, Sun 2/18 worked.
        #expect(try calendar.deadline(acceptedOn: cst("2024-02-04"), workingDays: 5) == cst("2024-02-09"))
        #expect(try calendar.deadline(acceptedOn: cst("2024-02-04"), workingDays: 6) == cst("2024-02-18"))
    }

    @Test func acrossYearEnds() throws {
        let calendar = try CalendarFixtures.calendar()
        // Fri 2025-12-26: 12/29, 12/30, 12/31, then 1/1–1/3 off, Sun 1/4 worked, Mon 1/5.
        #expect(try calendar.deadline(acceptedOn: cst("2025-12-26"), workingDays: 4) == cst("2026-01-04"))
        #expect(try calendar.deadline(acceptedOn: cst("2025-12-26"), workingDays: 5) == cst("2026-01-05"))
        #expect(try calendar.workingDays(after: cst("2025-12-26"), through: cst("2026-01-05")) == 5)
    }

    /// The statutory 20 working days (行政许可法 art. 42) from acceptance on Fri 2024-09-27:
    /// 9/29 (Sun, worked), 9/30, 10/1–10/7 off, 10/8–10/11 (4), Sat 10/12 worked,
    /// then 10/14… → 1 + 1 + 4 + 1 = 7 by 10/12; 13 more: 10/14–10/18 (5), 10/21–10/25 (5),
    /// 10/28, 10/29, 10/30 (3) → 2024-10-30.
    @Test func twentyWorkingDaysOverNationalDay2024() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: cst("2024-09-27"), workingDays: 20) == cst("2024-10-30"))
    }

    @Test func workingDayCounts() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.workingDays(after: cst("2023-09-28"), through: cst("2023-10-09")) == 3)
        #expect(try calendar.workingDays(after: cst("2023-09-28"), through: cst("2023-09-28")) == 0)
        #expect(try calendar.workingDays(after: cst("2023-10-09"), through: cst("2023-09-28")) == 0)
        #expect(try calendar.workingDays(after: cst("2023-09-28"), through: cst("2023-10-06")) == 0)
        #expect(try calendar.workingDays(after: cst("2023-01-01"), through: cst("2026-12-31")) == 249 + 251 + 248 + 248)
    }

    @Test func outsideTheLoadedYearsThrows() throws {
        let calendar = try CalendarFixtures.calendar()
        // Fri 2026-12-25: 12/28–12/31 are the last 4 loaded working days; the 5th is in 2027.
        #expect(try calendar.deadline(acceptedOn: cst("2026-12-25"), workingDays: 4) == cst("2026-12-31"))
        let error = #expect(throws: CalendarError.self) {
            try calendar.deadline(acceptedOn: cst("2026-12-25"), workingDays: 5)
        }
        #expect(error == .yearNotLoaded(2027))
        #expect(error?.description == "calendar for 2027 not loaded")
        #expect(throws: CalendarError.yearNotLoaded(2027)) {
            try calendar.deadline(acceptedOn: cst("2026-12-31"), workingDays: 1)
        }
        #expect(throws: CalendarError.yearNotLoaded(2027)) {
            try calendar.deadline(acceptedOn: cst("2023-03-01"), workingDays: Int.max)
        }
        #expect(throws: CalendarError.yearNotLoaded(2022)) {
            try calendar.deadline(acceptedOn: cst("2022-12-30"), workingDays: 3)
        }
        #expect(throws: CalendarError.yearNotLoaded(2027)) {
            try calendar.workingDays(after: cst("2026-12-01"), through: cst("2027-01-04"))
        }
        #expect(throws: CalendarError.negativeWorkingDays(-1)) {
            try calendar.deadline(acceptedOn: cst("2023-03-01"), workingDays: -1)
        }
    }
}
