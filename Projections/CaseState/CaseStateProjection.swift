import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import ProjectionSupport

/// The hall's read model of where every case stands (name `caseState`): the case file of each
/// case, and indexes that answer "what is at my window", "what is due soon" and "what is
/// overdue" without a scan of every case.
///
/// Databases (each generation has its own):
/// - `cases`: case number → `CaseFile` (its binary encoding), every case ever submitted.
/// - `windowQueue`: window ‖ 0x00 ‖ deadline ‖ case number → empty. Open, accepted cases
///   (processing or suspended) at their current window, ordered by deadline. Cases not yet
///   accepted (submitted, awaiting a supplement) have no window, so they are NOT here: they are
///   listed in `pending`.
/// - `due`: deadline ‖ case number → window. Open, accepted cases that are not suspended (their
///   clock is running), ordered by deadline: "due within N working days" and "overdue".
/// - `suspended`: case number → window. Open cases whose clock is stopped (特别程序 / 挂起).
/// - `pending`: case number → empty. Open cases not yet accepted (submitted, awaitingSupplement).
///
/// A deadline in a key is the day number as 4 big-endian bytes, offset so that byte order is
/// date order (`CaseStateKey`). The deadline of a suspended case changes every working day it
/// stays suspended ("the deadline if it resumed today"), so its index key holds the deadline as
/// of its suspension date, a lower bound of the real one; queries compute the real deadline for
/// the day they are asked about. Every change of a case (transfer, suspension, resumption,
/// extension, completion, withdrawal) deletes its old index entries and inserts the new ones.
public struct CaseStateProjection: Projection {
    public let calendar: WorkCalendar

    public init(calendar: WorkCalendar) { self.calendar = calendar }

    public var name: String { Self.name }
    public var version: Int { 1 }
    public var databases: [ViewDatabase] { CaseStateDatabase.allCases.map { ViewDatabase($0.rawValue) } }

    /// The projection's name, for `ProjectionRunner.read`.
    public static let name = "caseState"

    public func apply(_ events: ArraySlice<EventView>, to view: ViewWriter) throws {
        let txn = view.transaction
        var files = CaseFileTable(view.databases(CaseStateDatabase.cases.rawValue))
        // Each touched case's index entry before this batch; compared with its entry after the
        // batch, so a case that changes many times in one batch is re-indexed once.
        var before: [String: CaseIndexEntry] = [:]
        for event in events {
            guard let data = try event.caseFileData() else { continue }
            let caseNumber = event.caseNumber
            var file = try files.file(caseNumber, in: txn)
            if before[caseNumber.rawValue] == nil {
                before[caseNumber.rawValue] = CaseIndexEntry(file, calendar: calendar)
            }
            file.apply(data, at: event.at)
            files.update(file)
        }
        try files.flush(txn)

        let indexes = CaseStateIndexes(view.databases)
        for key in before.keys.sorted() {
            let old = before[key]!
            let new = CaseIndexEntry(try files.file(CaseNumber(unvalidated: key), in: txn), calendar: calendar)
            guard new != old else { continue }
            try indexes.remove(old, caseNumber: key, in: txn)
            try indexes.insert(new, caseNumber: key, in: txn)
        }
    }
}

/// The databases of the `caseState` view.
public enum CaseStateDatabase: String, CaseIterable, Sendable {
    case cases, windowQueue, due, suspended, pending
}
