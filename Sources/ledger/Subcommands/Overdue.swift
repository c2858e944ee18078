import ArgumentParser
import CaseDomain
import CaseStateProjection

extension LedgerCommand {
    struct Overdue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open cases past their deadline (红牌), by deadline.",
            discussion: """
            Lists every accepted case not yet decided (processing or suspended) whose deadline — the \
            promised limit plus any extension, moved later by suspended working days — is before today \
            (--today, or the date of --as-of), oldest deadline first: case, window, item, status, \
            accepted, deadline, working days used and past the limit. Suspended cases are listed when \
            they were already late when suspended. Cases not yet accepted have no deadline and are not \
            listed; `ledger due` lists the cases still within their limit.
            """)

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp("Only this window, e.g. W01.", valueName: "W"))
        var window: String?

        @OptionGroup var past: AsOfOption
        @OptionGroup var output: CaseStateOutputOptions

        func validate() throws { try past.validate(with: output) }

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let calendar = try options.calendar()
            let today: CivilDate
            let late: [CaseStateReport]
            if let moment = past.asOf {
                let replay = try past.replay(moment, store: store, calendar: calendar)
                (today, late) = (replay.today, try replay.overdue(window: window))
            } else {
                today = try output.day(calendar)
                late = try CaseStateQueries(try options.openViews(store)).overdue(today: today, window: window)
                noteOnLatestEvent(today, todayGiven: output.today != nil, things: "cases", store: store)
            }
            let names = HallNames(store: store, options: options)
            let place = window.map { " at \(names.window($0))" } ?? ""
            printCaseList(late, format: output.format, names: names, showWindow: window == nil, asOf: past.asOf,
                          empty: "no overdue cases\(place) on \(today)", summary: "overdue\(place) on \(today)")
        }
    }
}
