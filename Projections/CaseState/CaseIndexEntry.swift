import CaseDomain
import LMDB
import Ledger
import ProjectionKit

/// Where a case sits in the `caseState` indexes; a function of its case file alone, so the
/// entry before and after a batch can be compared and only a change touches the indexes.
enum CaseIndexEntry: Equatable {
    /// Closed (or unknown): in no index.
    case none
    /// Open, not yet accepted: in `pending`.
    case pending
    /// Accepted, clock running: in its window's queue and in `due`.
    case running(window: String, deadline: CivilDate)
    /// Accepted, clock stopped: in its window's queue (under the deadline as of its
    /// suspension date) and in `suspended`.
    case suspended(window: String, deadline: CivilDate)

    init(_ file: CaseFile, calendar: WorkCalendar) {
        self = Self.of(file, calendar: calendar)
    }

    /// The entry of `file` (a function borrows its argument; an initializer would take a copy).
    static func of(_ file: CaseFile, calendar: WorkCalendar) -> CaseIndexEntry {
        switch file.status {
        case .submitted?, .awaitingSupplement?:
            .pending
        case .processing?:
            file.window.map { .running(window: $0, deadline: indexDeadline(file, calendar: calendar)) } ?? .none
        case .suspended?:
            file.window.map { .suspended(window: $0, deadline: indexDeadline(file, calendar: calendar)) } ?? .none
        default:
            .none
        }
    }

    /// A day later than any real deadline: the index key of a case whose deadline cannot be
    /// computed (it falls in a year the calendar does not have); queries then report the
    /// calendar error for that case rather than a guess.
    static let unknownDeadline = CivilDate(dayNumber: .max)

    /// The deadline after suspensions and extension, an open suspension counted as resumed on
    /// the day it started.
    static func indexDeadline(_ file: CaseFile, calendar: WorkCalendar) -> CivilDate {
        guard let acceptance = file.acceptance, let acceptedAt = file.acceptedAt else { return unknownDeadline }
        if file.suspensions.isEmpty && file.extensionDays == 0 { return acceptance.deadline }
        let open = file.suspensions.last { $0.end == nil }?.start
        do {
            return try calendar.deadline(acceptedOn: CivilDate(instantMilliseconds: acceptedAt.milliseconds),
                                         workingDays: acceptance.promisedDays, suspensions: file.suspensions,
                                         extensionDays: file.extensionDays, asOf: open)
        } catch {
            return unknownDeadline
        }
    }
}

/// The index databases of one generation of the view.
struct CaseStateIndexes {
    let windowQueue: Database<[UInt8], [UInt8]>
    let due: Database<[UInt8], [UInt8]>
    let suspended: Database<String, [UInt8]>
    let pending: Database<String, [UInt8]>

    init(_ databases: ViewDatabases) {
        windowQueue = databases(CaseStateDatabase.windowQueue.rawValue)
        due = databases(CaseStateDatabase.due.rawValue)
        suspended = databases(CaseStateDatabase.suspended.rawValue)
        pending = databases(CaseStateDatabase.pending.rawValue)
    }

    func insert(_ entry: CaseIndexEntry, caseNumber: String, in txn: WriteTransaction) throws {
        switch entry {
        case .none: break
        case .pending:
            try txn.put(pending, caseNumber, [])
        case let .running(window, deadline):
            try txn.put(windowQueue, CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: caseNumber), [])
            try txn.put(due, CaseStateKey.due(deadline: deadline, caseNumber: caseNumber), Array(window.utf8))
        case let .suspended(window, deadline):
            try txn.put(windowQueue, CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: caseNumber), [])
            try txn.put(suspended, caseNumber, Array(window.utf8))
        }
    }

    func remove(_ entry: CaseIndexEntry, caseNumber: String, in txn: WriteTransaction) throws {
        switch entry {
        case .none: break
        case .pending:
            try txn.delete(pending, caseNumber)
        case let .running(window, deadline):
            try txn.delete(windowQueue, CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: caseNumber))
            try txn.delete(due, CaseStateKey.due(deadline: deadline, caseNumber: caseNumber))
        case let .suspended(window, deadline):
            try txn.delete(windowQueue, CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: caseNumber))
            try txn.delete(suspended, caseNumber)
        }
    }
}
