import ArgumentParser
import CaseDomain
import CaseStateProjection
import Ledger

extension LedgerCommand {
    struct Case: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case",
            abstract: "One case's state: status, window, deadline, working days used and left, warning.",
            discussion: """
            The deadline is after suspensions and extension; for a suspended case it is the deadline \
            if the case resumed today. With --as-of the case's events up to that moment are replayed \
            from the log and the days are counted to that moment's date.
            """)

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp("The case number.", valueName: "CASE"))
        var caseNumber: String

        @OptionGroup var past: AsOfOption

        @OptionGroup var output: CaseStateOutputOptions

        func validate() throws { try past.validate(with: output) }

        func run() throws {
            let number = try caseNumberArgument(caseNumber)
            let store = try options.openEvents(readOnly: true)
            let calendar = try options.calendar()
            let report: CaseStateReport
            if let asOf = past.asOf {
                do { _ = try calendar.isWorkingDay(CivilDate(instantMilliseconds: asOf.milliseconds)) } catch {
                    throw UserError("--as-of \(asOf.chinaTime): \(error)")
                }
                guard let found = try CaseStateReport.replaying(number, asOf: asOf, from: store, calendar: calendar) else {
                    throw UserError("case \(number) had no events by \(asOf.chinaTime)")
                }
                report = found
            } else {
                let today = try output.day(calendar)
                noteOnLatestEvent(today, todayGiven: false, things: "case", store: store)
                let queries = try CaseStateQueries(try options.openViews(store))
                guard let found = try queries.state(of: number, today: today) else {
                    throw UserError("case \(number) has no events")
                }
                report = found
            }
            switch output.format {
            case .json:
                var w = JSONWriter()
                report.writeJSON(into: &w, asOf: past.asOf)
                writeStdout(w.bytes + [10])
            case .table:
                print(table(report, names: HallNames(store: store, options: options)))
            }
        }

        private func table(_ r: CaseStateReport, names: HallNames) -> String {
            func days(_ n: Int) -> String { "\(n) working day\(abs(n) == 1 ? "" : "s")" }
            var rows: [[String]] = [
                ["case", r.caseNumber.rawValue],
                ["status", r.status.label],
                ["item", names.item(r.item, width: 30)],
                ["window", names.window(r.window)],
                ["accepted", r.acceptedAt?.chinaTime ?? "not yet"],
            ]
            if let completedAt = r.completedAt { rows.append(["completed", completedAt.chinaTime]) }
            if let deadline = r.deadline, let promised = r.promisedDays {
                var limit = "promised \(promised)"
                if r.extensionDays > 0 { limit += " + extension \(r.extensionDays)" }
                if let legal = r.legalDays, legal > 0 { limit += "; legal \(legal)" }
                rows.append(["deadline", "\(deadline) (\(limit))" + (r.suspended ? ", if resumed today" : "")])
            }
            if let effective = r.effectiveWorkingDays {
                rows.append(["used", days(effective) + (r.completedAt == nil ? " so far" : "")])
            }
            if let remaining = r.remainingWorkingDays {
                rows.append(["left", remaining >= 0 ? days(remaining) : "\(days(-remaining)) past the limit"])
            }
            if let onTime = r.onTime { rows.append(["on time", onTime ? "yes" : "no (overdue)"]) }
            if r.status.isOpen, r.acceptedAt != nil {
                rows.append(["suspended", r.suspended ? "yes (clock stopped)" : "no"])
                rows.append(["warning", r.warning == .none ? "none" : r.warning.label + (r.warning == .red ? " overdue" : " due today or next working day")])
            }
            rows.append(["visits", "\(r.visits)"])
            rows.append(["evaluation", r.evaluation.map { "\($0) " + Self.levelName($0) } ?? "none"])
            rows.append([past.asOf == nil ? "counted to" : "as of", past.asOf?.chinaTime ?? r.today.description])
            return TextTable(header: ["", ""], rows: rows).rendered
                .split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        }

        private static func levelName(_ level: Int) -> String {
            ["非常满意", "满意", "基本满意", "不满意", "非常不满意"][max(1, min(level, 5)) - 1]
        }
    }
}
