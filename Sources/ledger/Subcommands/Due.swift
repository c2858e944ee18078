import ArgumentParser
import CaseDomain
import CaseStateProjection

extension LedgerCommand {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open cases due today or within the next N working days, by deadline.",
            discussion: "Overdue cases are listed by `ledger overdue`; suspended cases (clock stopped) are not due.")

        @OptionGroup var options: StoreOptions

        // Unconditional, so `--within -1` reaches validate() and gets its message, not "missing value".
        @Option(parsing: .unconditional, help: ArgumentHelp("Working days after today to look ahead, 0 to 250 (0: due today).", valueName: "N"))
        var within: Int

        @Option(help: ArgumentHelp("Only this window, e.g. W01.", valueName: "W"))
        var window: String?

        @OptionGroup var past: AsOfOption
        @OptionGroup var output: CaseStateOutputOptions

        func validate() throws {
            if within < 0 { throw ValidationError("--within must be ≥ 0 working days (0: due today), not \(within)") }
            if within > 250 { throw ValidationError("--within must be at most 250 working days (about a year), not \(within)") }
            try past.validate(with: output)
        }

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let calendar = try options.calendar()
            let today: CivilDate
            let due: [CaseStateReport]
            do {
                if let moment = past.asOf {
                    let replay = try past.replay(moment, store: store, calendar: calendar)
                    (today, due) = (replay.today, try replay.due(withinWorkingDays: within, window: window))
                } else {
                    today = try output.day(calendar)
                    due = try CaseStateQueries(try options.openViews(store)).due(withinWorkingDays: within, today: today, window: window)
                    noteOnLatestEvent(today, todayGiven: output.today != nil, things: "cases", store: store)
                }
            } catch let error as CalendarError {
                throw UserError("--within \(within): \(error)")
            }
            let names = HallNames(store: store, options: options)
            let place = window.map { " at \(names.window($0))" } ?? ""
            let span = within == 0 ? "today" : "within \(within) working day\(within == 1 ? "" : "s")"
            printCaseList(due, format: output.format, names: names, showWindow: window == nil, asOf: past.asOf,
                          empty: "nothing due \(span)\(place) (from \(today))", summary: "due \(span)\(place) from \(today)")
        }
    }
}
