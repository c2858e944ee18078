import ArgumentParser
import CaseDomain
import CaseStateProjection

extension LedgerCommand {
    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The open, accepted cases at a window, by deadline, with warnings (yellow: due today or the next working day; red: overdue).",
            discussion: "Cases not yet accepted have no window and are not listed.")

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp("The window, e.g. W01.", valueName: "W"))
        var window: String

        @OptionGroup var past: AsOfOption
        @OptionGroup var output: CaseStateOutputOptions

        func validate() throws { try past.validate(with: output) }

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let calendar = try options.calendar()
            let today: CivilDate
            let queue: [CaseStateReport], active: [String]
            if let moment = past.asOf {
                let replay = try past.replay(moment, store: store, calendar: calendar)
                (today, queue, active) = (replay.today, try replay.queue(window: window), replay.windows())
            } else {
                today = try output.day(calendar)
                let queries = try CaseStateQueries(try options.openViews(store))
                (queue, active) = try queries.read { view in (try view.queue(window: window, today: today), try view.windows()) }
            }
            let names = HallNames(store: store, options: options)
            if queue.isEmpty, !names.windowIDs.contains(window), !active.contains(window) {
                let known = names.windowIDs.isEmpty ? active : names.windowIDs
                throw UserError("no window \(window) (windows: \(known.joined(separator: ", ")))")
            }
            if past.asOf == nil {
                noteOnLatestEvent(today, todayGiven: output.today != nil, things: "cases", store: store, staleNote: false)
            }
            printCaseList(queue, format: output.format, names: names, showWindow: false, asOf: past.asOf,
                          empty: "no open cases at \(names.window(window)) on \(today)",
                          summary: "\(names.window(window)) on \(today)")
        }
    }
}
