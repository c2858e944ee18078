import ArgumentParser
import CaseDomain
import CaseStateProjection
import Foundation
import Ledger

extension LedgerCommand {
    struct BadReviews: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bad-reviews",
            abstract: "The 差评 work queue: every bad review with its stage, deadlines, working days left and who holds it.",
            discussion: """
            Stages: 待核实 awaitingCallBack → 待整改 awaitingRectification (or 申诉复核中 underAppeal) → 待反馈 \
            awaitingFeedback → 已办结 closed; 已剔除 excluded when an appeal found the review mistaken or malicious. \
            Open reviews come first, by the deadline of the step they wait for; "left" counts working days to \
            it (negative: past it). The limits are badReview in seeds/rules.json (Docs/REVIEWS.md).
            """,
            aliases: ["badreviews"])

        @OptionGroup var options: StoreOptions

        @Flag(help: "Only reviews still in the loop (not closed, not excluded).")
        var open = false

        // Unconditional: "-1" is read as the (refused) number, not as an unknown option.
        @Option(name: .customLong("due-within"), parsing: .unconditional,
                help: ArgumentHelp("Only open reviews whose next step is due within N working days (overdue ones included; 0: due today).",
                                   valueName: "N"))
        var dueWithin: Int?

        @Option(help: ArgumentHelp("Only reviews of this window, e.g. W05.", valueName: "W"))
        var window: String?

        @Option(help: ArgumentHelp("The day to count working days to, YYYY-MM-DD (CST). Default: today in China Standard Time.",
                                   valueName: "DATE"),
                transform: parseCivilDate)
        var today: CivilDate?

        @OptionGroup var past: AsOfOption

        @Option(help: "table (aligned for a terminal), csv (RFC 4180, for spreadsheets) or json (stable keys).")
        var format: ReportFormat = .table

        @Flag(name: .customLong("no-bom"), help: "CSV without the UTF-8 byte-order mark, for tools that dislike it (Excel needs it to read Chinese).")
        var noByteOrderMark = false

        func run() throws {
            if noByteOrderMark, format != .csv { throw ValidationError("--no-bom applies to --format csv only") }
            if let dueWithin, !(0 ... 250).contains(dueWithin) {
                throw UserError("--due-within \(dueWithin): give 0 to 250 working days (0: due today)")
            }
            if past.asOf != nil, today != nil {
                throw UserError("give --as-of or --today, not both (--as-of counts the days to its own date)")
            }
            let store = try options.openEvents(readOnly: true)
            let names = HallNames(store: store, options: options)
            if let window, !names.windowIDs.isEmpty, !names.windowIDs.contains(window) {
                throw UserError("no window \(EscapedText(window).text) in the hall (windows: \(names.windowIDs.joined(separator: ", ")))")
            }
            let calendar = try options.calendar()
            let limits = try options.rules().badReview
            let day: CivilDate
            let files: [CaseFile]
            if let moment = past.asOf {
                let replay = try past.replay(moment, store: store, calendar: calendar)
                day = replay.today
                files = replay.files.values.filter { !$0.badReviews.isEmpty }
            } else {
                day = try countingDay(calendar)
                files = try CaseStateQueries(try options.openViews(store)).read { try $0.filesWithBadReviews() }
                noteOnLatestEvent(day, todayGiven: today != nil, things: "reviews", store: store)
            }
            let queue = BadReviewQueue(limits: limits, calendar: calendar, today: day)
            let entries: [BadReviewEntry]
            do {
                entries = try queue.entries(files, filter: .init(openOnly: open || dueWithin != nil, dueWithin: dueWithin, window: window))
            } catch let error as CalendarError {
                throw UserError("--due-within \(dueWithin ?? 0) from \(day): \(error)")
            }
            let listing = BadReviewListing(today: day.description, asOf: past.asOf?.chinaTime, count: entries.count, reviews: entries)
            try format.write(listing, byteOrderMark: !noByteOrderMark, table: table(entries, names: names, today: day), csv: BadReviewListing.csv(entries))
        }

        private func table(_ entries: [BadReviewEntry], names: HallNames, today: CivilDate) -> String {
            let scope = [open || dueWithin != nil ? "open" : nil, dueWithin.map { "due within \($0) working day\($0 == 1 ? "" : "s")" },
                         window.map { "at \(names.window($0))" }].compactMap(\.self).joined(separator: ", ")
            guard !entries.isEmpty else { return "no bad reviews\(scope.isEmpty ? "" : " (\(scope))") on \(today)" }
            let rows = entries.map { e in
                [e.caseNumber, e.window ?? "—", "\(e.level)", String(e.reviewedAt.prefix(10)), "\(e.stage.rawValue) \(e.stageLabel)",
                 e.due ?? "—", e.workingDaysLeft.map(String.init) ?? "—",
                 e.holder.isEmpty ? "—" : (e.holder == BadReviewEntry.appealOffice ? e.holder : names.window(e.holder))]
            }
            var text = TextTable(header: ["case", "window", "level", "reviewed", "stage", "due", "left", "holder"], rows: rows,
                                 rightAligned: [2, 6]).rendered
            let overdue = entries.count(where: \.overdue)
            let open = entries.count { $0.stage.isOpen }
            let excluded = entries.count(where: \.excluded)
            text += "\n\nbad reviews on \(today)\(scope.isEmpty ? "" : " (\(scope))"): \(entries.count) (\(open) open, \(overdue) overdue"
                + "\(excluded > 0 ? ", \(excluded) excluded on appeal" : ""))  (left: working days to the next step's deadline; negative: past it)"
            return text
        }

        /// `--today`, or the current CST date; either must be in the calendar's years.
        private func countingDay(_ calendar: WorkCalendar) throws -> CivilDate {
            let day = today ?? CivilDate(instantMilliseconds: Timestamp.now().milliseconds)
            do { _ = try calendar.isWorkingDay(day) } catch {
                let loaded = calendar.years.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "none"
                throw UserError(today == nil
                    ? "today (\(day)) is outside the loaded calendars (\(loaded)); pass --today YYYY-MM-DD or --as-of within them"
                    : "--today \(day): \(error) (loaded: \(loaded))")
            }
            return day
        }
    }
}

/// What `ledger bad-reviews --format json` prints.
struct BadReviewListing: Encodable {
    var today: String
    var asOf: String?
    var count: Int
    var reviews: [BadReviewEntry]

    private enum CodingKeys: String, CodingKey { case today, asOf, count, reviews }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(today, forKey: .today)
        if let asOf { try c.encode(asOf, forKey: .asOf) } else { try c.encodeNil(forKey: .asOf) }
        try c.encode(count, forKey: .count)
        try c.encode(reviews, forKey: .reviews)
    }

    static let csvHeader = ["case", "review", "level", "item", "window", "reviewedAt", "stage", "stageLabel", "excluded", "appealGround",
                            "holder", "due", "workingDaysLeft", "overdue", "callBackDue", "appealDue", "appealDecisionDue",
                            "rectificationDue", "feedbackDue", "calledBackAt", "appealedAt", "appealDecidedAt", "rectifiedAt", "fedBackAt"]

    static func csv(_ entries: [BadReviewEntry]) -> [[String]] {
        [csvHeader] + entries.map { e in
            [e.caseNumber, "\(e.review)", "\(e.level)", e.item ?? "", e.window ?? "", e.reviewedAt, e.stage.rawValue, e.stageLabel,
             "\(e.excluded)", e.appealGround ?? "", e.holder, e.due ?? "", e.workingDaysLeft.map(String.init) ?? "", "\(e.overdue)",
             e.deadlines.callBack ?? "", e.deadlines.appeal ?? "", e.deadlines.appealDecision ?? "", e.deadlines.rectification ?? "",
             e.deadlines.feedback ?? "", e.steps.calledBackAt ?? "", e.steps.appealedAt ?? "", e.steps.appealDecidedAt ?? "",
             e.steps.rectifiedAt ?? "", e.steps.fedBackAt ?? ""]
        }
    }
}
