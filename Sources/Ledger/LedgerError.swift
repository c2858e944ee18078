import Foundation

/// What can go wrong using the ledger. Descriptions are one line, meant for the person at the
/// terminal: what was wrong and what to do.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Optimistic concurrency: the stream is not at the expected version. `actual` is the
    /// stream's last version, or nil when it has no events.
    case wrongExpectedVersion(stream: StreamID, expected: ExpectedVersion, actual: UInt32?)
    /// The event id is in the log already, with other content.
    case idConflict(id: UUID, seq: UInt64)
    /// Some events of a retried append are in the log and some are not.
    case partialRetry(id: UUID, seq: UInt64)
    case duplicateIdInAppend(UUID)
    case emptyAppend(StreamID)
    case invalidStreamID(String, String)
    case invalidActor(String)
    case recordTooLarge(bytes: Int, limit: Int)
    /// The domain's codec refused the event: an unknown type code, or a payload it cannot decode.
    case invalidPayload(type: EventTypeCode, reason: String)
    /// The store was opened read-only (an auditor's copy) and cannot take appends.
    case readOnlyStore(directory: String)
    /// The store's directory could not be created.
    case cannotCreateStore(directory: String, reason: String)
    /// The store was written by a newer version of this program.
    case unsupportedFormat(found: UInt32, supported: UInt32)
    case corruptRecord(seq: UInt64, reason: String)
    case storeClosed

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(c, expected, actual):
            let now = actual.map { "is at version \($0)" } ?? "has no events"
            return "\(c) \(now), but the append expected \(expected); reload it and retry"
        case let .idConflict(id, seq):
            return "event id \(id.uuidString.lowercased()) is already recorded at seq \(seq) with different content"
        case let .partialRetry(id, seq):
            return "event id \(id.uuidString.lowercased()) is already recorded at seq \(seq), but other events of this append are new; retry exactly the original append"
        case let .duplicateIdInAppend(id):
            return "event id \(id.uuidString.lowercased()) appears twice in one append"
        case let .emptyAppend(c):
            return "append to \(c) has no events"
        case let .invalidStreamID(raw, reason):
            return "invalid stream id \"\(raw.prefix(60))\": \(reason)"
        case let .invalidActor(actor):
            return "invalid actor \"\(actor.prefix(60))\": use 1 to 64 bytes without control characters"
        case let .recordTooLarge(bytes, limit):
            return "event record of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case let .invalidPayload(type, reason):
            return "event of \(type) refused: \(reason); nothing was written"
        case let .readOnlyStore(directory):
            return "the store at \(directory) is open read-only; appends need a writable store"
        case let .cannotCreateStore(directory, reason):
            return "cannot create the store at \(directory): \(reason)"
        case let .unsupportedFormat(found, supported):
            return "store format \(found) is newer than this program supports (\(supported)); upgrade ledger"
        case let .corruptRecord(seq, reason):
            return "record at seq \(seq) is corrupt: \(reason)"
        case .storeClosed:
            return "the store is closed"
        }
    }
}
