import CaseDomain
import Ledger

/// Every case as it stood at a past moment, folded from the log rather than read from the view:
/// the hall's queues, due and overdue lists as they were then, with the days counted to that
/// moment's CST date. It scans the whole log (milliseconds for a district year), so it is for
/// look-backs and audits; the view answers the present.
///
/// ```swift
/// let june = try CaseStateReplay(store: store, asOf: Timestamp(rfc3339: "2023-06-30T23:59:59+08:00")!, calendar: calendar)
/// let queue = try june.queue(window: "W01")
/// ```
public struct CaseStateReplay: Sendable {
    public let moment: Timestamp
    /// The day the counts run to: `moment`'s CST date.
    public let today: CivilDate
    public let calendar: WorkCalendar
    /// Every case with an event at or before `moment`.
    public let files: [String: CaseFile]

    /// - Throws: `CalendarError.yearNotLoaded` when `moment`'s date is outside the calendar;
    ///   the store's read errors.
    public init(store: EventStore, asOf moment: Timestamp, calendar: WorkCalendar) throws {
        let today = CivilDate(instantMilliseconds: moment.milliseconds)
        _ = try calendar.isWorkingDay(today)
        var files: [String: CaseFile] = [:]
        try store.scan(from: 1) { event in
            // A case's events are in time order, so skipping the later ones leaves each case as it was.
            let type = try event.type
            guard event.at <= moment, type.isCaseEvent else { return true }
            let number = event.caseNumber
            try files[number.rawValue, default: CaseFile(caseNumber: number)].apply(type, at: event.at) { () throws(ByteDecodingError) in
                try event.data()
            }
            return true
        }
        self.moment = moment
        self.today = today
        self.calendar = calendar
        self.files = files
    }

    public func state(of caseNumber: CaseNumber) throws -> CaseStateReport? {
        guard let file = files[caseNumber.rawValue] else { return nil }
        return try CaseStateReport(file, today: today, calendar: calendar)
    }

    /// As `CaseStateView.queue(window:today:)` would have answered then.
    public func queue(window: String) throws -> [CaseStateReport] {
        try reports { $0.window == window && ($0.status == .processing || $0.status == .suspended) }.byDeadline()
    }

    /// As `CaseStateView.due(withinWorkingDays:today:window:)` would have answered then.
    public func due(withinWorkingDays n: Int, window: String? = nil) throws -> [CaseStateReport] {
        let last = try calendar.deadline(acceptedOn: today, workingDays: max(n, 0))
        return try reports { $0.status == .processing && $0.window != nil && (window == nil || $0.window == window) }
            .filter { $0.deadline.map { today <= $0 && $0 <= last } ?? false }.byDeadline()
    }

    /// As `CaseStateView.overdue(today:window:)` would have answered then.
    public func overdue(window: String? = nil) throws -> [CaseStateReport] {
        try reports { $0.status?.isOpen == true && $0.window != nil && (window == nil || $0.window == window) }
            .filter(\.overdue).byDeadline()
    }

    /// Windows with open accepted cases then, in id order.
    public func windows() -> [String] {
        Set(files.values.filter { $0.status == .processing || $0.status == .suspended }.compactMap(\.window)).sorted()
    }

    private func reports(_ include: (CaseFile) -> Bool) throws -> [CaseStateReport] {
        try files.values.filter(include).compactMap { try CaseStateReport($0, today: today, calendar: calendar) }
    }
}
