import ArgumentParser
import CaseDomain
import CaseStateProjection

extension LedgerCommand {
    struct Overdue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open cases past their deadline (红牌), by deadline.",
            discussion: "Includes suspended cases that were already late when suspended.")

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
                noteIfTodayIsPast(today, output: output, store: store)
            }
            let names = HallNames(store: store, options: options)
            let place = window.map { " at \(names.window($0))" } ?? ""
            printCaseList(late, format: output.format, names: names, showWindow: window == nil, asOf: past.asOf,
                          empty: "no overdue cases\(place) on \(today)", summary: "overdue\(place) on \(today)")
        }
    }
}
