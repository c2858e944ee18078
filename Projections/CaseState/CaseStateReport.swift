import CaseDomain
import Ledger

/// 电子监察 warning levels for an open case.
public enum DeadlineWarning: String, Sendable, CaseIterable {
    /// Not due before the next working day after tomorrow's, or not open.
    case none
    /// 黄牌: due today or on the next working day.
    case yellow
    /// 红牌: overdue (the deadline has passed and the case is still open).
    case red
}

/// One case's state as of a day: what a clerk or hall manager asks about a case.
///
/// The day counts are computed for `today` (a CST date): for an open case the deadline after
/// suspensions and extension — for a suspended case, the deadline if it resumed today — the
/// effective working days so far and those remaining; for a completed case, the deadline and
/// effective working days at completion and whether it was on time.
public struct CaseStateReport: Sendable, Hashable {
    public var caseNumber: CaseNumber
    public var status: CaseStatus
    /// The item accepted, or before acceptance the item applied for.
    public var item: String?
    /// The current window (nil until accepted).
    public var window: String?
    public var acceptedAt: Timestamp?
    /// When the case was decided, withdrawn or rejected.
    public var completedAt: Timestamp?
    /// The limits snapshotted at acceptance (working days), and the extension granted.
    public var legalDays: Int?
    public var promisedDays: Int?
    public var extensionDays: Int
    /// The deadline after suspensions and extension (nil until accepted, and for a case
    /// closed without acceptance).
    public var deadline: CivilDate?
    /// Working days D with acceptance < D ≤ today (or the completion date), less the suspended ones.
    public var effectiveWorkingDays: Int?
    /// For an open accepted case: promised + extension − effective working days so far. When
    /// the case is not overdue this is the number of working days after today up to the
    /// deadline; negative: working days past the limit. nil for a closed or unaccepted case.
    public var remainingWorkingDays: Int?
    /// The clock is stopped (特别程序 / 挂起).
    public var suspended: Bool
    /// For a completed accepted case: completion date ≤ deadline. nil otherwise.
    public var onTime: Bool?
    /// Open with the deadline before today, or completed after the deadline.
    public var overdue: Bool
    public var warning: DeadlineWarning
    public var visits: Int
    /// The level (1–5) of the latest review, if any.
    public var evaluation: Int?
    /// The day the counts are computed for.
    public var today: CivilDate

    /// The state of `file` as of `today`.
    /// - Returns: nil when the case has no events.
    /// - Throws: `CalendarError.yearNotLoaded` when `today` or a date the computation needs is
    ///   outside the calendar's years.
    public init?(_ file: CaseFile, today: CivilDate, calendar: WorkCalendar) throws(CalendarError) {
        guard let status = file.status else { return nil }
        _ = try calendar.isWorkingDay(today)  // today must be in the calendar, even when unused
        caseNumber = file.caseNumber
        self.status = status
        item = file.acceptance?.item ?? file.submission?.item
        window = file.window
        acceptedAt = file.acceptedAt
        completedAt = file.completedAt
        legalDays = file.acceptance?.legalDays
        promisedDays = file.acceptance?.promisedDays
        extensionDays = file.extensionDays
        suspended = file.isSuspended
        visits = file.visits
        evaluation = file.evaluations.last?.level
        self.today = today
        overdue = false
        warning = .none

        guard let acceptance = file.acceptance, let acceptedAt = file.acceptedAt else { return }
        let acceptedOn = CivilDate(instantMilliseconds: acceptedAt.milliseconds)
        func deadlineAsOf(_ day: CivilDate) throws(CalendarError) -> CivilDate {
            if file.suspensions.isEmpty && file.extensionDays == 0 { return acceptance.deadline }
            return try calendar.deadline(acceptedOn: acceptedOn, workingDays: acceptance.promisedDays,
                                         suspensions: file.suspensions, extensionDays: file.extensionDays, asOf: day)
        }
        if let completedAt = file.completedAt {
            let completedOn = CivilDate(instantMilliseconds: completedAt.milliseconds)
            let due = try deadlineAsOf(completedOn)
            deadline = due
            effectiveWorkingDays = try calendar.effectiveWorkingDays(acceptedOn: acceptedOn, completedOn: completedOn,
                                                                     suspensions: file.suspensions)
            onTime = completedOn <= due
            overdue = completedOn > due
        } else if status.isOpen {
            let due = try deadlineAsOf(today)
            let effective = try calendar.effectiveWorkingDays(acceptedOn: acceptedOn, completedOn: today,
                                                              suspensions: file.suspensions)
            deadline = due
            effectiveWorkingDays = effective
            remainingWorkingDays = acceptance.promisedDays + file.extensionDays - effective
            overdue = due < today
            if overdue {
                warning = .red
            } else if try calendar.workingDays(after: today, through: due) <= 1 {
                warning = .yellow
            }
        }
    }
}

extension CaseStateReport {
    /// The case as it stood at `moment`: its events up to then replayed from the log, and the
    /// counts computed for `moment`'s CST date.
    /// - Returns: nil when the case had no events by then.
    public static func replaying(_ caseNumber: CaseNumber, asOf moment: Timestamp, from store: EventStore,
                                 calendar: WorkCalendar) throws -> CaseStateReport? {
        var file = CaseFile(caseNumber: caseNumber)
        try store.scan(of: caseNumber) { event in
            let type = try event.type
            guard event.at <= moment, type.isCaseEvent else { return true }
            try file.apply(type, at: event.at) { () throws(ByteDecodingError) in try event.data() }
            return true
        }
        return try CaseStateReport(file, today: CivilDate(instantMilliseconds: moment.milliseconds), calendar: calendar)
    }
}

extension [CaseStateReport] {
    /// By deadline (none last), then case number: the order of every case list.
    func byDeadline() -> [CaseStateReport] {
        sorted {
            let a = $0.deadline ?? CaseIndexEntry.unknownDeadline, b = $1.deadline ?? CaseIndexEntry.unknownDeadline
            return a != b ? a < b : $0.caseNumber < $1.caseNumber
        }
    }
}
