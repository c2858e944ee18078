/// One year's schedule as published by the State Council (`seeds/calendars/YEAR.json`).
///
/// Dates are `YYYY-MM-DD` strings. A file may list dates in the neighbouring years
/// (the 2023 file lists 2022-12-31); they only take effect if that year is loaded too.
public struct CalendarYear: Sendable, Decodable, Equatable {
    /// The year this schedule is for.
    public var year: Int
    /// Days off (法定节假日 and the weekend days around them).
    public var holidays: [String]
    /// Weekend days that are worked (调休上班).
    public var adjustedWorkdays: [String]
    /// Where the schedule comes from (the notice), for the record.
    public var source: String?

    public init(year: Int, holidays: [String], adjustedWorkdays: [String], source: String? = nil) {
        self.year = year
        self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays
        self.source = source
    }
}

/// Working days (工作日) for a run of consecutive loaded years.
///
/// A day is a working day if it is Monday–Friday and not a holiday, or if it is an
/// adjusted working day. Any question about a date outside the loaded years throws
/// `CalendarError.yearNotLoaded` rather than guessing.
///
/// Everything is precomputed into flat tables over the loaded days, so
/// `isWorkingDay`, `workingDays(after:through:)` and `deadline(acceptedOn:workingDays:)`
/// are O(1) and do not allocate.
public struct WorkCalendar: Sendable {
    /// The loaded years, ascending and consecutive.
    public let loadedYears: [Int]
    /// Day number of January 1 of the first loaded year.
    private let firstDay: Int32
    /// `isWorking[i]`: whether day `firstDay + i` is a working day.
    private let isWorking: [Bool]
    /// `workingBefore[i]`: working days among table days `0..<i` (one entry longer than `isWorking`).
    private let workingBefore: [Int32]
    /// `workingDayIndex[k]`: table index of the (k+1)-th working day.
    private let workingDayIndex: [Int32]

    /// Builds a calendar from year definitions (in any order).
    ///
    /// - Throws: `duplicateYear`, `missingYear` (years must be consecutive), `badDateString`,
    ///   `dateOutsideYear` (a date not within the year ± 1), `conflictingDay`, `invalidDate`.
    public init(years definitions: [CalendarYear]) throws(CalendarError) {
        let sorted = definitions.sorted { $0.year < $1.year }
        var holidays: Set<Int32> = []
        var adjusted: [(day: Int32, text: String, year: Int)] = []
        for (k, definition) in sorted.enumerated() {
            let year = definition.year
            _ = try CivilDate(year: year, month: 1, day: 1)  // year within 1...9999
            if k > 0 {
                let previous = sorted[k - 1].year
                if previous == year { throw .duplicateYear(year) }
                if previous + 1 != year { throw .missingYear(previous + 1) }
            }
            for text in definition.holidays {
                holidays.insert(try Self.parse(text, in: year).dayNumber)
            }
            for text in definition.adjustedWorkdays {
                adjusted.append((try Self.parse(text, in: year).dayNumber, text, year))
            }
        }
        for entry in adjusted where holidays.contains(entry.day) {
            throw .conflictingDay(entry.text, calendarYear: entry.year)
        }
        let adjustedDays = Set(adjusted.map(\.day))

        loadedYears = sorted.map(\.year)
        guard let first = sorted.first?.year, let last = sorted.last?.year else {
            firstDay = 0
            isWorking = []
            workingBefore = [0]
            workingDayIndex = []
            return
        }
        let start = try CivilDate(year: first, month: 1, day: 1).dayNumber
        let end = try CivilDate(year: last, month: 12, day: 31).dayNumber
        var working: [Bool] = []
        var before: [Int32] = [0]
        var indices: [Int32] = []
        working.reserveCapacity(Int(end - start) + 1)
        before.reserveCapacity(Int(end - start) + 2)
        for day in start...end {
            let date = CivilDate(dayNumber: day)
            let isWorkingDay = adjustedDays.contains(day) || (!date.isWeekend && !holidays.contains(day))
            if isWorkingDay { indices.append(day - start) }
            working.append(isWorkingDay)
            before.append(Int32(indices.count))
        }
        firstDay = start
        isWorking = working
        workingBefore = before
        workingDayIndex = indices
    }

    /// The loaded years as a range, or `nil` when none are loaded.
    public var years: ClosedRange<Int>? {
        guard let first = loadedYears.first, let last = loadedYears.last else { return nil }
        return first...last
    }

    /// Whether `date` is a working day. O(1).
    /// - Throws: `yearNotLoaded` when the date's year is not loaded.
    public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        isWorking[try index(of: date)]
    }

    /// Deadline for a limit of `n` working days accepted on `acceptedOn`:
    /// `acceptedOn` itself when `n == 0` (即办件), otherwise the n-th working day strictly
    /// after it (the start day is not counted). O(1).
    /// - Throws: `yearNotLoaded` when `acceptedOn` or the deadline falls outside the loaded years;
    ///   `negativeWorkingDays` when `n < 0`.
    public func deadline(acceptedOn: CivilDate, workingDays n: Int) throws(CalendarError) -> CivilDate {
        guard n >= 0 else { throw .negativeWorkingDays(n) }
        let i = try index(of: acceptedOn)
        return n == 0 ? acceptedOn : try nthWorkingDay(afterIndex: i, n)
    }

    /// Number of working days D with `start < D ≤ end`; 0 when `end ≤ start`. O(1).
    /// - Throws: `yearNotLoaded` when either date is outside the loaded years.
    public func workingDays(after start: CivilDate, through end: CivilDate) throws(CalendarError) -> Int {
        workingDays(afterIndex: try index(of: start), throughIndex: try index(of: end))
    }

    // MARK: - Table access (shared with the time-limit code)

    /// Table index of `date`, or `yearNotLoaded`.
    func index(of date: CivilDate) throws(CalendarError) -> Int {
        let i = Int(date.dayNumber) - Int(firstDay)
        guard i >= 0, i < isWorking.count else { throw .yearNotLoaded(date.year) }
        return i
    }

    /// Working days among table indices `(i, j]`; 0 when `j ≤ i`.
    func workingDays(afterIndex i: Int, throughIndex j: Int) -> Int {
        j <= i ? 0 : Int(workingBefore[j + 1] - workingBefore[i + 1])
    }

    /// The n-th (n ≥ 1) working day after table index `i`, or `yearNotLoaded` for the year after the last.
    func nthWorkingDay(afterIndex i: Int, _ n: Int) throws(CalendarError) -> CivilDate {
        let alreadyPassed = Int(workingBefore[i + 1])
        guard n <= workingDayIndex.count - alreadyPassed else {
            throw .yearNotLoaded((loadedYears.last ?? 0) + 1)
        }
        return CivilDate(dayNumber: firstDay + workingDayIndex[alreadyPassed + n - 1])
    }

    private static func parse(_ text: String, in year: Int) throws(CalendarError) -> CivilDate {
        guard let date = CivilDate(iso: text) else { throw .badDateString(text, calendarYear: year) }
        guard abs(date.year - year) <= 1 else { throw .dateOutsideYear(text, calendarYear: year) }
        return date
    }
}
