import CaseDomain
import Testing

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so every run sees the same cases.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random cases stay well inside 2023–2026 so no walk leaves the loaded years.
private let firstAcceptance = cst("2023-01-15")
private let lastAcceptance = cst("2026-06-30")

private func randomDate(_ rng: inout SplitMix64, from: CivilDate = firstAcceptance, to: CivilDate = lastAcceptance) -> CivilDate {
    CivilDate(dayNumber: Int32.random(in: from.dayNumber...to.dayNumber, using: &rng))
}

private func randomSuspensions(_ rng: inout SplitMix64, near accepted: CivilDate) -> [SuspensionPeriod] {
    (0..<Int.random(in: 0...3, using: &rng)).map { _ in
        let start = accepted.adding(days: Int.random(in: -5...40, using: &rng))
        return SuspensionPeriod(start: start, end: start.adding(days: Int.random(in: 0...30, using: &rng)))
    }
}

// MARK: - Day-by-day reference implementations (slow and obvious)

private func isSuspended(_ date: CivilDate, _ periods: [SuspensionPeriod]) -> Bool {
    periods.contains { date > $0.start && date <= $0.end! }
}

private func walkDeadline(_ calendar: WorkCalendar, _ accepted: CivilDate, _ n: Int, _ periods: [SuspensionPeriod] = []) throws -> CivilDate {
    var date = accepted
    var counted = 0
    while counted < n {
        date = date.adding(days: 1)
        if try calendar.isWorkingDay(date), !isSuspended(date, periods) { counted += 1 }
    }
    return date
}

private func countDays(_ calendar: WorkCalendar, after start: CivilDate, through end: CivilDate, _ periods: [SuspensionPeriod] = []) throws -> Int {
    var count = 0
    var date = start.adding(days: 1)
    while date <= end {
        if try calendar.isWorkingDay(date), !isSuspended(date, periods) { count += 1 }
        date = date.adding(days: 1)
    }
    return count
}

@Suite("Calendar properties (seeded random cases)")
struct CalendarPropertyTests {
    @Test func deadlinesMatchTheDayByDayWalk() throws {
        let calendar = try CalendarFixtures.calendar()
        var rng = SplitMix64(state: 2023)
        for _ in 0..<5000 {
            let accepted = randomDate(&rng)
            let n = Int.random(in: 0...60, using: &rng)
            let deadline = try calendar.deadline(acceptedOn: accepted, workingDays: n)
            #expect(deadline >= accepted)
            if n > 0 {
                #expect(deadline > accepted)
                #expect(try calendar.isWorkingDay(deadline))
            }
            #expect(try calendar.workingDays(after: accepted, through: deadline) == n)
            #expect(try deadline == walkDeadline(calendar, accepted, n), "accepted \(accepted), n \(n)")
        }
    }

    @Test func workingDayCountsMatchTheDayByDayCount() throws {
        let calendar = try CalendarFixtures.calendar()
        var rng = SplitMix64(state: 42)
        for _ in 0..<3000 {
            let start = randomDate(&rng)
            let end = start.adding(days: Int.random(in: -10...120, using: &rng))
            let count = try calendar.workingDays(after: start, through: end)
            #expect(try count == countDays(calendar, after: start, through: end), "\(start)…\(end)")
        }
    }

    /// One extra holiday can only push deadlines later (or leave them).
    @Test func anExtraHolidayNeverMovesADeadlineEarlier() throws {
        let calendar = try CalendarFixtures.calendar()
        let definitions = try CalendarFixtures.years()
        var rng = SplitMix64(state: 7)
        for _ in 0..<300 {
            let holiday = randomDate(&rng)
            var changed = definitions
            let k = try #require(changed.firstIndex { $0.year == holiday.year })
            if changed[k].adjustedWorkdays.contains(holiday.description) { continue }  // would be a conflict
            changed[k].holidays.append(holiday.description)
            let withHoliday = try WorkCalendar(years: changed)
            #expect(try !withHoliday.isWorkingDay(holiday))
            for _ in 0..<20 {
                let accepted = randomDate(&rng, from: holiday.adding(days: -90), to: holiday)
                    .clamped(to: firstAcceptance...lastAcceptance)
                let n = Int.random(in: 0...60, using: &rng)
                let before = try calendar.deadline(acceptedOn: accepted, workingDays: n)
                let after = try withHoliday.deadline(acceptedOn: accepted, workingDays: n)
                #expect(after >= before, "holiday \(holiday), accepted \(accepted), n \(n)")
                if try calendar.isWorkingDay(holiday), accepted < holiday, holiday <= before, n > 0 {
                    #expect(after > before)  // a working day inside the window was lost
                }
            }
        }
    }

    /// Suspensions only delay; the fast merge matches the day-by-day clock; and completing on the
    /// deadline uses exactly the limit.
    @Test func suspensionsNeverMakeACaseDueSooner() throws {
        let calendar = try CalendarFixtures.calendar()
        var rng = SplitMix64(state: 2024)
        for _ in 0..<4000 {
            let accepted = randomDate(&rng)
            let n = Int.random(in: 0...40, using: &rng)
            let extensionDays = Int.random(in: 0...3, using: &rng) == 0 ? Int.random(in: 1...20, using: &rng) : 0
            let periods = randomSuspensions(&rng, near: accepted)
            let plain = try calendar.deadline(acceptedOn: accepted, workingDays: n + extensionDays)
            let deadline = try calendar.deadline(
                acceptedOn: accepted, workingDays: n, suspensions: periods, extensionDays: extensionDays)
            #expect(deadline >= plain)
            #expect(try deadline == walkDeadline(calendar, accepted, n + extensionDays, periods),
                    "accepted \(accepted), n \(n)+\(extensionDays), \(periods)")
            #expect(try calendar.effectiveWorkingDays(acceptedOn: accepted, completedOn: deadline, suspensions: periods)
                == n + extensionDays)
        }
    }

    @Test func effectiveDaysAreBoundedAndMatchTheDayByDayCount() throws {
        let calendar = try CalendarFixtures.calendar()
        var rng = SplitMix64(state: 99)
        for _ in 0..<4000 {
            let accepted = randomDate(&rng)
            let completed = accepted.adding(days: Int.random(in: -3...90, using: &rng))
            let periods = randomSuspensions(&rng, near: accepted)
            let effective = try calendar.effectiveWorkingDays(acceptedOn: accepted, completedOn: completed, suspensions: periods)
            let between = try calendar.workingDays(after: accepted, through: completed)
            #expect(effective >= 0)
            #expect(effective <= between)
            #expect(try effective == countDays(calendar, after: accepted, through: completed, periods),
                    "accepted \(accepted), completed \(completed), \(periods)")
        }
    }
}

private extension CivilDate {
    func clamped(to range: ClosedRange<CivilDate>) -> CivilDate {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
