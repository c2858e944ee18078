/// Errors from dates, the work calendar and time-limit arithmetic.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A query touched a year with no calendar loaded. Never guessed.
    case yearNotLoaded(Int)
    /// Year, month and day that do not form a date (or a year outside 1...9999).
    case invalidDate(year: Int, month: Int, day: Int)
    /// A calendar year lists a string that is not a `YYYY-MM-DD` date.
    case badDateString(String, calendarYear: Int)
    /// A calendar year lists a date outside that year ± 1.
    case dateOutsideYear(String, calendarYear: Int)
    /// The same date is both a holiday and an adjusted working day.
    case conflictingDay(String, calendarYear: Int)
    /// Two definitions for the same year.
    case duplicateYear(Int)
    /// Loaded years must be consecutive; this one is missing between them.
    case missingYear(Int)
    /// A calendar file could not be read or decoded.
    case malformedFile(String, reason: String)
    /// A folder holds no `YEAR.json` calendar files.
    case noCalendarFiles(String)
    /// A negative time limit or extension.
    case negativeWorkingDays(Int)
    /// A suspension that resumes before it starts.
    case invalidSuspension(start: CivilDate, end: CivilDate)
    /// A suspension with no resume date, where the question needs one (pass `asOf`).
    case openSuspension(start: CivilDate)

    public var description: String {
        switch self {
        case .yearNotLoaded(let year):
            "calendar for \(year) not loaded"
        case .invalidDate(let year, let month, let day):
            "invalid date: year \(year), month \(month), day \(day)"
        case .badDateString(let text, let year):
            "calendar \(year): \"\(text)\" is not a YYYY-MM-DD date"
        case .dateOutsideYear(let text, let year):
            "calendar \(year): \(text) is outside \(year - 1)...\(year + 1)"
        case .conflictingDay(let text, let year):
            "calendar \(year): \(text) is listed both as a holiday and as an adjusted working day"
        case .duplicateYear(let year):
            "calendar for \(year) given twice"
        case .missingYear(let year):
            "calendar for \(year) missing between the loaded years"
        case .malformedFile(let path, let reason):
            "calendar file \(path): \(reason)"
        case .noCalendarFiles(let path):
            "no YEAR.json calendar files in \(path)"
        case .negativeWorkingDays(let n):
            "working days must not be negative (got \(n))"
        case .invalidSuspension(let start, let end):
            "suspension resumes on \(end), before it starts on \(start)"
        case .openSuspension(let start):
            "suspension from \(start) has not resumed; give an as-of date"
        }
    }
}
