import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// Queries of the `caseState` view in one read snapshot.
///
/// ```swift
/// let queue = try runner.read(.caseState) { reader in
///     try CaseStateView(reader, calendar: calendar).queue(window: "W01", today: today)
/// }
/// ```
/// Valid only inside the `read` closure (it reads the snapshot's memory); copy the results out.
/// Every query that computes day counts throws `CalendarError.yearNotLoaded` when `today` (or a
/// deadline it needs) is outside the calendar's years.
public struct CaseStateView {
    public let reader: ViewReader
    public let calendar: WorkCalendar
    let cases: Database<String, [UInt8]>
    let indexes: CaseStateIndexes

    public init(_ reader: ViewReader, calendar: WorkCalendar) {
        self.reader = reader
        self.calendar = calendar
        cases = reader.databases(CaseStateDatabase.cases.rawValue)
        indexes = CaseStateIndexes(reader.databases)
    }

    /// The case's file as the view holds it, or nil when the case has no events.
    public func file(of caseNumber: CaseNumber) throws -> CaseFile? {
        try CaseFileTable.read(caseNumber, from: cases, in: reader.transaction)
    }

    /// One case's state with its day counts computed for `today`; nil for an unknown case.
    public func state(of caseNumber: CaseNumber, today: CivilDate) throws -> CaseStateReport? {
        guard let file = try file(of: caseNumber) else { return nil }
        return try CaseStateReport(file, today: today, calendar: calendar)
    }

    /// The open, accepted cases at `window` (processing and suspended), by deadline as of
    /// `today`, then case number. Cases not yet accepted have no window: see `awaitingAcceptance()`.
    public func queue(window: String, today: CivilDate) throws -> [CaseStateReport] {
        _ = try calendar.isWorkingDay(today)
        return try windowCases(window, before: nil).map { try state(ofIndexed: $0, today: today) }.byDeadline()
    }

    /// The open cases with a running clock whose deadline is today or within the next `n`
    /// working days (today ≤ deadline ≤ the n-th working day after today; `n == 0`: due today),
    /// optionally at one window, by deadline. Overdue and suspended cases are not included.
    public func due(withinWorkingDays n: Int, today: CivilDate, window: String? = nil) throws -> [CaseStateReport] {
        let last = try calendar.deadline(acceptedOn: today, workingDays: max(n, 0))
        var found: [CaseStateReport] = []
        try reader.transaction.withCursor(indexes.due) { cursor in
            var entry = try cursor.seek(atLeast: CaseStateKey.dayBytes(today))
            while let (key, value) = entry, CaseStateKey.day(in: key, at: 0) <= last {
                if window == nil || value.elementsEqual(window!.utf8) {
                    found.append(try state(ofIndexed: CaseStateKey.caseNumber(in: key, after: 0), today: today))
                }
                entry = try cursor.next()
            }
        }
        return found.byDeadline()
    }

    /// The open cases whose deadline is before `today` (红牌), optionally at one window, by
    /// deadline: those with a running clock, and suspended ones that were already late when
    /// they were suspended.
    public func overdue(today: CivilDate, window: String? = nil) throws -> [CaseStateReport] {
        _ = try calendar.isWorkingDay(today)
        var candidates: [String] = []
        if let window {
            candidates = try windowCases(window, before: today)
        } else {
            try reader.transaction.withCursor(indexes.due) { cursor in
                var entry = try cursor.first()
                while let (key, _) = entry, CaseStateKey.day(in: key, at: 0) < today {
                    candidates.append(CaseStateKey.caseNumber(in: key, after: 0))
                    entry = try cursor.next()
                }
            }
            candidates += try keys(of: indexes.suspended)
        }
        return try candidates.map { try state(ofIndexed: $0, today: today) }.filter(\.overdue).byDeadline()
    }

    /// Open cases not yet accepted (submitted, or awaiting a supplement), by case number.
    public func awaitingAcceptance() throws -> [CaseNumber] {
        try keys(of: indexes.pending).map { CaseNumber(unvalidated: $0) }
    }

    /// The windows with open accepted cases, in id order.
    public func windows() throws -> [String] {
        try reader.transaction.withCursor(indexes.windowQueue) { cursor in
            var windows: [String] = []
            var entry = try cursor.first()
            while let (key, _) = entry {
                guard let end = key.firstIndex(of: 0) else { break }
                let window = String(decoding: UnsafeRawBufferPointer(rebasing: key[..<end]), as: UTF8.self)
                windows.append(window)
                // Skip the rest of this window's queue: the next key after `window ‖ 0x00 ‖ FF…`.
                var next = CaseStateKey.windowPrefix(window)
                next[next.count - 1] = 1
                entry = try cursor.seek(atLeast: next)
            }
            return windows
        }
    }

    /// How many open cases the view holds: accepted with the clock running, accepted and
    /// suspended, and not yet accepted.
    public func openCounts() throws -> (running: Int, suspended: Int, awaitingAcceptance: Int) {
        let txn = reader.transaction
        return (try txn.count(indexes.due), try txn.count(indexes.suspended), try txn.count(indexes.pending))
    }

    // MARK: Helpers

    /// The case numbers in `window`'s queue, with an index deadline before `limit` if given.
    private func windowCases(_ window: String, before limit: CivilDate?) throws -> [String] {
        let prefix = CaseStateKey.windowPrefix(window)
        return try reader.transaction.withCursor(indexes.windowQueue) { cursor in
            var found: [String] = []
            var entry = try cursor.seek(atLeast: prefix)
            while let (key, _) = entry, key.count >= prefix.count + 4, key.starts(with: prefix) {
                if let limit, CaseStateKey.day(in: key, at: prefix.count) >= limit { break }
                found.append(CaseStateKey.caseNumber(in: key, after: prefix.count))
                entry = try cursor.next()
            }
            return found
        }
    }

    private func keys(of db: Database<String, [UInt8]>) throws -> [String] {
        try reader.transaction.withCursor(db) { cursor in
            var keys: [String] = []
            var entry = try cursor.first()
            while let (key, _) = entry {
                keys.append(String(decoding: key, as: UTF8.self))
                entry = try cursor.next()
            }
            return keys
        }
    }

    private func state(ofIndexed caseNumber: String, today: CivilDate) throws -> CaseStateReport {
        guard let report = try state(of: CaseNumber(unvalidated: caseNumber), today: today) else {
            throw CaseStateError.indexedCaseMissing(caseNumber)
        }
        return report
    }

}

/// The view contradicts itself (an index names a case the view does not hold): rebuild it.
public enum CaseStateError: Error, Sendable, Equatable, CustomStringConvertible {
    case indexedCaseMissing(String)
    case projectionNotRegistered

    public var description: String {
        switch self {
        case .indexedCaseMissing(let number):
            "the caseState view indexes case \(number) but does not hold it; rebuild it (`ledger project rebuild caseState`)"
        case .projectionNotRegistered:
            "the projection runner has no caseState projection"
        }
    }
}
