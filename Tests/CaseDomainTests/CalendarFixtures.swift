import CaseDomain
import Foundation

/// The repository's real calendars (`seeds/calendars/YEAR.json`), found from this file's path.
enum CalendarFixtures {
    /// `seeds/calendars` under the package root (the nearest folder above this file holding Package.swift).
    static let directory: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("seeds").appendingPathComponent("calendars")
    }()

    private static let loadedYears = Result { () throws(CalendarError) -> [CalendarYear] in
        try WorkCalendar.loadYears(directory: directory)
    }
    private static let loadedCalendar = Result { () throws(CalendarError) -> WorkCalendar in
        try WorkCalendar(years: loadedYears.get())
    }

    /// The year definitions as stored in the repository.
    static func years() throws -> [CalendarYear] { try loadedYears.get() }

    /// The calendar built from the repository's files (loaded once per test process).
    static func calendar() throws -> WorkCalendar { try loadedCalendar.get() }
}

/// `CivilDate` from a `YYYY-MM-DD` literal in a test (traps on a typo).
func cst(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
    return date
}
