import Foundation

extension WorkCalendar {
    /// Loads every `YEAR.json` file in `directory` (e.g. `seeds/calendars`) into a calendar.
    /// - Throws: `noCalendarFiles`, `malformedFile`, or any error of `init(years:)`.
    public static func load(directory: URL) throws(CalendarError) -> WorkCalendar {
        try WorkCalendar(years: loadYears(directory: directory))
    }

    /// Decodes every `YEAR.json` file in `directory`, ordered by year. The `year` field
    /// must match the file name.
    public static func loadYears(directory: URL) throws(CalendarError) -> [CalendarYear] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .malformedFile(directory.path, reason: "cannot list folder (\(error))")
        }
        let yearFiles = names.filter(isYearFileName).sorted()
        guard !yearFiles.isEmpty else { throw .noCalendarFiles(directory.path) }

        var years: [CalendarYear] = []
        for name in yearFiles {
            let url = directory.appendingPathComponent(name)
            let year: CalendarYear
            do {
                year = try JSONDecoder().decode(CalendarYear.self, from: Data(contentsOf: url))
            } catch {
                throw .malformedFile(url.path, reason: "\(error)")
            }
            guard name == "\(year.year).json" else {
                throw .malformedFile(url.path, reason: "holds year \(year.year), not the year in its name")
            }
            years.append(year)
        }
        return years
    }

    /// `2023.json` and the like: digits, then `.json`.
    private static func isYearFileName(_ name: String) -> Bool {
        guard name.hasSuffix(".json") else { return false }
        let stem = name.dropLast(5)
        return !stem.isEmpty && stem.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
