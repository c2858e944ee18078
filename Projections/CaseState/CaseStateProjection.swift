import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

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
extension ViewName {
    /// The current state of every case, for the hall's queues.
    public static let caseState = ViewName("caseState")
}

public struct CaseStateProjection: Projection {
    public let calendar: WorkCalendar

    public init(calendar: WorkCalendar) { self.calendar = calendar }

    public var name: ViewName { .caseState }
    /// 2: case files keep each bad review's steps (Docs/REVIEWS.md).
    public var version: Int { 2 }
    public var databases: [ViewDatabase] { CaseStateDatabase.allCases.map { ViewDatabase($0.rawValue) } }

    public func apply(_ batch: EventBatch, to view: ViewWriter) throws {
        let txn = view.transaction
        let cases: Database<BorrowedBytes, [UInt8]> = view.databases(CaseStateDatabase.cases.rawValue)
        // The batch's cases by slot: each case file is read at most once, folded in place, and
        // written once, in key order. Each touched case's index entry before this batch is
        // compared with its entry after the batch, so a case that changes many times in one
        // batch is re-indexed once.
        var files = [CaseFile](repeating: CaseFile(caseNumber: CaseNumber(unvalidated: "")), count: batch.caseCount)
        var touched = [Bool](repeating: false, count: batch.caseCount)
        var before = [CaseIndexEntry](repeating: .none, count: batch.caseCount)
        let events = batch.events
        let caseSlots = batch.caseSlots
        var warmed = events.startIndex
        for i in events.indices {
            if i == warmed {
                warmed = min(i + 256, events.endIndex)
                batch.warm(i ..< warmed)
            }
            let event = events[i]
            do {
                let type = try event.type
                guard type.isCaseEvent else { continue }
                let slot = Int(caseSlots[i])
                if !touched[slot] {
                    touched[slot] = true
                    if let stored = try txn.withValue(cases, BorrowedBytes(event.caseBytes), { try CaseFile(decoding: $0) }) {
                        files[slot] = stored
                    } else {
                        files[slot] = CaseFile(caseNumber: event.caseNumber)
                    }
                    before[slot] = CaseIndexEntry.of(files[slot], calendar: calendar)
                }
                try files[slot].apply(type, at: event.at) { () throws(ByteDecodingError) in try event.data() }
            } catch let error as ByteDecodingError {
                // Only a record that does not decode is the record's fault; the environment's
                // errors (a full map is grown and the batch retried) pass unchanged.
                throw FoldFailure(seq: event.seq, error)
            }
        }

        let order = batch.slotsInKeyOrder
        var w = ByteWriter(capacity: 512)
        for slot in order where touched[slot] {
            w.reset()
            files[slot].encode(into: &w)
            try batch.withCaseBytes(slot) { key in try txn.put(cases, BorrowedBytes(key), w.bytes) }
        }
        let indexes = CaseStateIndexes(view.databases)
        for slot in order where touched[slot] {
            let old = before[slot]
            let new = CaseIndexEntry.of(files[slot], calendar: calendar)
            guard new != old else { continue }
            let key = batch.caseNumber(slot)
            try indexes.remove(old, caseNumber: key, in: txn)
            try indexes.insert(new, caseNumber: key, in: txn)
        }
    }
}

/// The databases of the `caseState` view.
public enum CaseStateDatabase: String, CaseIterable, Sendable {
    case cases, windowQueue, due, suspended, pending
}
