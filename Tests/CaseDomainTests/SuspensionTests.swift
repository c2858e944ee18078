import CaseDomain
import Testing

/// Worked by hand on the 2024 calendar. March 2024 has no holidays: Mon 3/4, Mon 3/11,
/// Mon 3/18 and Mon 3/25 start the weeks; 4/4–4/6 are off and Sun 4/7 is worked.
@Suite("Suspensions and extensions")
struct SuspensionTests {
    let accepted = cst("2024-03-04")  // Monday

    private func suspended(_ start: String, _ end: String?) -> SuspensionPeriod {
        SuspensionPeriod(start: cst(start), end: end.map(cst))
    }

    /// No suspension: 3/5–3/8 (4), 3/11–3/15 (9), 3/18 (10) → 2024-03-18.
    @Test func baseline() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10) == cst("2024-03-18"))
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: []) == cst("2024-03-18"))
    }

    /// Suspended Wed 3/6, resumed Mon 3/11: suspended working days 3/6 < D ≤ 3/11 are
    /// 3/7, 3/8, 3/11 = 3. Deadline 3/18 + 3 working days = 3/19, 3/20, 3/21 → 2024-03-21.
    /// (Counting directly: 3/5, 3/6, then 3/12–3/15, 3/18–3/21 → the 10th is 3/21.)
    @Test func oneSuspension() throws {
        let calendar = try CalendarFixtures.calendar()
        let deadline = try calendar.deadline(
            acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-06", "2024-03-11")])
        #expect(deadline == cst("2024-03-21"))
    }

    /// (3/6, 3/11] = {3/7, 3/8, 3/11} and (3/8, 3/13] = {3/11, 3/12, 3/13} overlap on 3/11:
    /// union {3/7, 3/8, 3/11, 3/12, 3/13} = 5 days, not 6. 3/18 + 5 = 3/19, 20, 21, 22, 25 → 2024-03-25.
    @Test func overlappingSuspensionsCountOnce() throws {
        let calendar = try CalendarFixtures.calendar()
        let periods = [suspended("2024-03-08", "2024-03-13"), suspended("2024-03-06", "2024-03-11")]
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: periods) == cst("2024-03-25"))
        // The same period given twice counts once.
        let twice = [suspended("2024-03-06", "2024-03-11"), suspended("2024-03-06", "2024-03-11")]
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: twice) == cst("2024-03-21"))
    }

    /// Accepted Fri 2024-09-27, limit 20 → 2024-10-30 (see DeadlineTests). Suspended Mon 9/30,
    /// resumed Tue 10/8: 9/30 < D ≤ 10/8 holds only one working day (10/8; 10/1–10/7 are off)
    /// → one working day later, Thu 2024-10-31.
    @Test func suspensionOverAHolidayOnlyCountsWorkingDays() throws {
        let calendar = try CalendarFixtures.calendar()
        let deadline = try calendar.deadline(
            acceptedOn: cst("2024-09-27"), workingDays: 20, suspensions: [suspended("2024-09-30", "2024-10-08")])
        #expect(deadline == cst("2024-10-31"))
    }

    /// Extension of 10: 20 working days → 3/18 (10), 3/19–3/22 (14), 3/25–3/29 (19), 4/1 (20).
    /// Plus the 3-day suspension: 4/2, 4/3, (4/4–4/6 off), Sun 4/7 worked → 2024-04-07.
    @Test func extensionAddsWorkingDays() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: [], extensionDays: 10)
            == cst("2024-04-01"))
        #expect(try calendar.deadline(
            acceptedOn: accepted, workingDays: 10,
            suspensions: [suspended("2024-03-06", "2024-03-11")], extensionDays: 10) == cst("2024-04-07"))
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 0, suspensions: [], extensionDays: 1)
            == cst("2024-03-05"))
        #expect(throws: CalendarError.negativeWorkingDays(-2)) {
            try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: [], extensionDays: -2)
        }
    }

    /// The clock stops only while it runs: a suspension after the deadline (3/18) leaves it there;
    /// resuming on the suspension day suspends nothing; days on or before acceptance never count,
    /// so (3/1, 3/6] only stops 3/5 and 3/6 → 3/18 + 2 = 2024-03-20.
    @Test func suspensionsThatDoNotMoveTheDeadline() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.deadline(
            acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-20", "2024-03-22")]) == cst("2024-03-18"))
        #expect(try calendar.deadline(
            acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-07", "2024-03-07")]) == cst("2024-03-18"))
        #expect(try calendar.deadline(
            acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-01", "2024-03-06")]) == cst("2024-03-20"))
        #expect(try calendar.deadline(
            acceptedOn: accepted, workingDays: 0, suspensions: [suspended("2024-03-06", "2024-03-11")]) == accepted)
    }

    /// An open suspension needs an as-of date: as of 3/11 it is the same as resuming on 3/11.
    @Test func openSuspension() throws {
        let calendar = try CalendarFixtures.calendar()
        let open = [suspended("2024-03-06", nil)]
        #expect(throws: CalendarError.openSuspension(start: cst("2024-03-06"))) {
            try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: open)
        }
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: open, asOf: cst("2024-03-11"))
            == cst("2024-03-21"))
        #expect(try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: open, asOf: cst("2024-03-05"))
            == cst("2024-03-18"))
        #expect(CalendarError.openSuspension(start: cst("2024-03-06")).description
            == "suspension from 2024-03-06 has not resumed; give an as-of date")
    }

    @Test func invalidSuspensions() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(throws: CalendarError.invalidSuspension(start: cst("2024-03-11"), end: cst("2024-03-06"))) {
            try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-11", "2024-03-06")])
        }
        #expect(throws: CalendarError.yearNotLoaded(2027)) {
            try calendar.deadline(acceptedOn: accepted, workingDays: 10, suspensions: [suspended("2024-03-11", "2027-01-06")])
        }
        // Suspended until mid-December 2026: the deadline walks out of the loaded years.
        #expect(throws: CalendarError.yearNotLoaded(2027)) {
            try calendar.deadline(acceptedOn: accepted, workingDays: 20, suspensions: [suspended("2024-03-05", "2026-12-15")])
        }
    }

    /// Working days (3/4, 3/21] = 3/5–3/8 (4) + 3/11–3/15 (5) + 3/18–3/21 (4) = 13;
    /// minus {3/7, 3/8, 3/11} = 10, exactly the limit (and 3/21 is the deadline: on time).
    @Test func effectiveDays() throws {
        let calendar = try CalendarFixtures.calendar()
        let period = [suspended("2024-03-06", "2024-03-11")]
        #expect(try calendar.workingDays(after: accepted, through: cst("2024-03-21")) == 13)
        #expect(try calendar.effectiveWorkingDays(acceptedOn: accepted, completedOn: cst("2024-03-21"), suspensions: period) == 10)
        #expect(try calendar.effectiveWorkingDays(acceptedOn: accepted, completedOn: cst("2024-03-21"), suspensions: []) == 13)
    }

    /// (3/4, 3/25] = 13 + 3/22 + 3/25 = 15; minus the union of overlapping periods (5) = 10.
    @Test func effectiveDaysWithOverlaps() throws {
        let calendar = try CalendarFixtures.calendar()
        let periods = [suspended("2024-03-06", "2024-03-11"), suspended("2024-03-08", "2024-03-13")]
        #expect(try calendar.effectiveWorkingDays(acceptedOn: accepted, completedOn: cst("2024-03-25"), suspensions: periods) == 10)
    }

    /// Completion inside a suspension: only the part up to completion is taken off.
    /// S 3/6, R 3/15, done 3/12: (3/4, 3/12] = 3/5, 6, 7, 8, 11, 12 = 6; suspended 3/7, 8, 11, 12 = 4 → 2.
    /// Still open, done Fri 3/8: (3/4, 3/8] = 4; suspended 3/7, 3/8 = 2 → 2.
    @Test func completedWhileSuspended() throws {
        let calendar = try CalendarFixtures.calendar()
        #expect(try calendar.effectiveWorkingDays(
            acceptedOn: accepted, completedOn: cst("2024-03-12"), suspensions: [suspended("2024-03-06", "2024-03-15")]) == 2)
        #expect(try calendar.effectiveWorkingDays(
            acceptedOn: accepted, completedOn: cst("2024-03-08"), suspensions: [suspended("2024-03-06", nil)]) == 2)
        #expect(try calendar.effectiveWorkingDays(
            acceptedOn: accepted, completedOn: accepted, suspensions: [suspended("2024-03-06", nil)]) == 0)
    }
}
