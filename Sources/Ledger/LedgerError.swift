import Foundation

/// What can go wrong using the ledger. Descriptions are one line, meant for the person at the
/// terminal: what was wrong and what to do.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Optimistic concurrency: the case is not at the expected version. `actual` is the case's
    /// last version, or nil when it has no events.
    case wrongExpectedVersion(case: CaseNumber, expected: ExpectedVersion, actual: UInt32?)
    /// The event id is in the log already, with other content.
    case idConflict(id: UUID, seq: UInt64)
    /// Some events of a retried append are in the log and some are not.
    case partialRetry(id: UUID, seq: UInt64)
    case duplicateIdInAppend(UUID)
    case emptyAppend(CaseNumber)
    case invalidCaseNumber(String, String)
    case invalidActor(String)
    case recordTooLarge(bytes: Int, limit: Int)
    /// The store was written by a newer version of this program.
    case unsupportedFormat(found: UInt32, supported: UInt32)
    case corruptRecord(seq: UInt64, reason: String)
    case storeClosed

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(c, expected, actual):
            let now = actual.map { "is at version \($0)" } ?? "has no events"
            return "case \(c) \(now), but the append expected \(expected); reload the case and retry"
        case let .idConflict(id, seq):
            return "event id \(id.uuidString.lowercased()) is already recorded at seq \(seq) with different content"
        case let .partialRetry(id, seq):
            return "event id \(id.uuidString.lowercased()) is already recorded at seq \(seq), but other events of this append are new; retry exactly the original append"
        case let .duplicateIdInAppend(id):
            return "event id \(id.uuidString.lowercased()) appears twice in one append"
        case let .emptyAppend(c):
            return "append to case \(c) has no events"
        case let .invalidCaseNumber(raw, reason):
            return "invalid case number \"\(raw.prefix(60))\": \(reason)"
        case let .invalidActor(actor):
            return "invalid actor \"\(actor.prefix(60))\": use 1 to 64 bytes without control characters"
        case let .recordTooLarge(bytes, limit):
            return "event record of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case let .unsupportedFormat(found, supported):
            return "store format \(found) is newer than this program supports (\(supported)); upgrade ledger"
        case let .corruptRecord(seq, reason):
            return "record at seq \(seq) is corrupt: \(reason)"
        case .storeClosed:
            return "the store is closed"
        }
    }
}
