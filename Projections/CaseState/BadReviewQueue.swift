import CaseDomain
import Ledger
import ProjectionKit
import CaseStatistics

/// One bad review as the hall's 差评 work queue lists it: its stage, the deadline of the step it
/// waits for and the working days left to it, who holds it, every step's deadline and the times
/// of the steps taken. Times in China Standard Time; dates YYYY-MM-DD.
public struct BadReviewEntry: Sendable, Hashable, Codable {
    public var caseNumber: String
    /// Which of the case's reviews (0 = the first).
    public var review: Int
    public var level: Int
    @Nullable public var item: String?
    /// The window handling the case when it was reviewed.
    @Nullable public var window: String?
    public var reviewedAt: String
    public var stage: BadReviewStage
    /// 待核实 … 已剔除.
    public var stageLabel: String
    /// Excluded on appeal: it no longer counts in 好评率 or 差评整改率.
    public var excluded: Bool
    @Nullable public var appealGround: String?
    /// Who the next step is for: the window, the bureau's appeal office (申诉复核), or "" once closed.
    public var holder: String
    /// The deadline of the step the review waits for (nil when closed, or beyond the calendar).
    @Nullable public var due: String?
    /// Working days from today to `due`: 0 on the day, negative once past it.
    @Nullable public var workingDaysLeft: Int?
    public var overdue: Bool
    public var deadlines: Deadlines
    public var steps: Steps

    public struct Deadlines: Sendable, Hashable, Codable {
        @Nullable public var callBack: String?
        @Nullable public var appeal: String?
        @Nullable public var appealDecision: String?
        @Nullable public var rectification: String?
        @Nullable public var feedback: String?
    }

    /// When each step was recorded (nil: not yet, or never).
    public struct Steps: Sendable, Hashable, Codable {
        @Nullable public var calledBackAt: String?
        @Nullable public var appealedAt: String?
        @Nullable public var appealDecidedAt: String?
        @Nullable public var rectifiedAt: String?
        @Nullable public var fedBackAt: String?
    }

    private enum CodingKeys: String, CodingKey {
        case caseNumber = "case"
        case review, level, item, window, reviewedAt, stage, stageLabel, excluded, appealGround, holder, due
        case workingDaysLeft, overdue, deadlines, steps
    }

    /// The holder of a review under appeal: the bureau's office that decides appeals, not a window.
    public static let appealOffice = "申诉复核"
}

/// The 差评 work queue: every bad review of a set of case files, as of `today`, with the limits
/// of `seeds/rules.json` (Docs/REVIEWS.md).
///
/// ```swift
/// let queue = BadReviewQueue(limits: rules.badReview, calendar: calendar, today: day)
/// let due = try queue.entries(files, filter: .init(openOnly: true, dueWithin: 2))
/// ```
public struct BadReviewQueue: Sendable {
    public let limits: BadReviewLimits
    public let calendar: WorkCalendar
    public let today: CivilDate

    public init(limits: BadReviewLimits, calendar: WorkCalendar, today: CivilDate) {
        self.limits = limits
        self.calendar = calendar
        self.today = today
    }

    /// Which reviews to list.
    public struct Filter: Sendable, Hashable {
        /// Only reviews still in the loop (not closed, not excluded).
        public var openOnly: Bool
        /// Only open reviews whose current step is due within this many working days of today,
        /// the overdue ones included.
        public var dueWithin: Int?
        /// Only reviews of this window.
        public var window: String?

        public init(openOnly: Bool = false, dueWithin: Int? = nil, window: String? = nil) {
            self.openOnly = openOnly
            self.dueWithin = dueWithin
            self.window = window
        }
    }

    /// The bad reviews of `files` that pass `filter`: open ones first, by the deadline of the
    /// step they wait for, then the closed and excluded ones, latest review first.
    /// - Throws: `CalendarError` when today, or today + `dueWithin`, lies outside the calendar.
    public func entries(_ files: some Sequence<CaseFile>, filter: Filter = Filter()) throws -> [BadReviewEntry] {
        _ = try calendar.isWorkingDay(today)
        let horizon = try filter.dueWithin.map { try calendar.deadline(acceptedOn: today, workingDays: $0) }
        var open: [(due: CivilDate?, entry: BadReviewEntry)] = []
        var done: [(at: Timestamp, entry: BadReviewEntry)] = []
        for file in files {
            for review in file.badReviews {
                if let window = filter.window, review.window != window { continue }
                let stage = review.stage
                let deadlines = review.deadlines(limits, calendar: calendar)
                let due = deadlines.of(stage)
                if stage.isOpen {
                    if let horizon, !(due.map { $0 <= horizon } ?? false) { continue }
                    open.append((due, entry(file, review, stage, deadlines, due)))
                } else if !filter.openOnly, horizon == nil {
                    done.append((review.reviewedAt, entry(file, review, stage, deadlines, nil)))
                }
            }
        }
        open.sort { a, b in
            switch (a.due, b.due) {
            case let (x?, y?) where x != y: x < y
            case (_?, nil): true
            case (nil, _?): false
            default: (a.entry.caseNumber, a.entry.review) < (b.entry.caseNumber, b.entry.review)
            }
        }
        done.sort { ($0.at, $0.entry.caseNumber) > ($1.at, $1.entry.caseNumber) }
        return open.map(\.entry) + done.map(\.entry)
    }

    private func entry(_ file: CaseFile, _ review: BadReview, _ stage: BadReviewStage, _ deadlines: BadReviewDeadlines,
                       _ due: CivilDate?) -> BadReviewEntry {
        let left = due.flatMap { due -> Int? in
            if due >= today { return try? calendar.workingDays(after: today, through: due) }
            return (try? calendar.workingDays(after: due, through: today)).map { -$0 }
        }
        let holder: String = switch stage {
        case .underAppeal: BadReviewEntry.appealOffice
        case .closed, .excluded: ""
        default: review.window ?? ""
        }
        func day(_ date: CivilDate?) -> String? { date?.description }
        return BadReviewEntry(
            caseNumber: file.caseNumber.rawValue, review: review.ordinal, level: review.level,
            item: file.acceptance?.item ?? file.submission?.item, window: review.window,
            reviewedAt: review.reviewedAt.chinaTime, stage: stage, stageLabel: stage.label, excluded: review.excluded,
            appealGround: review.appealGround?.rawValue, holder: holder, due: day(due), workingDaysLeft: left,
            overdue: due.map { today > $0 } ?? false,
            deadlines: .init(callBack: day(deadlines.callBack), appeal: day(deadlines.appeal),
                             appealDecision: day(deadlines.appealDecision), rectification: day(deadlines.rectification),
                             feedback: day(deadlines.feedback)),
            steps: .init(calledBackAt: review.calledBackAt?.chinaTime, appealedAt: review.appealedAt?.chinaTime,
                         appealDecidedAt: review.appealDecidedAt?.chinaTime, rectifiedAt: review.rectifiedAt?.chinaTime,
                         fedBackAt: review.fedBackAt?.chinaTime))
    }
}

extension CaseStateView {
    /// Every case file of the view that has a bad review (a scan of the view's case files: bad
    /// reviews are about one case in a hundred, and a district year is read in well under a second).
    public func filesWithBadReviews() throws -> [CaseFile] {
        try reader.transaction.withCursor(cases) { cursor in
            var found: [CaseFile] = []
            var entry = try cursor.first()
            while let (_, value) = entry {
                let file = try CaseFile(decoding: value)
                if !file.badReviews.isEmpty { found.append(file) }
                entry = try cursor.next()
            }
            return found
        }
    }
}
