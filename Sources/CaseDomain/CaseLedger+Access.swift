import Foundation
import Ledger

/// One entry of the access stream, as an auditor reads it.
public struct RecordedAccess: Sendable, Hashable {
    public var seq: UInt64
    public var at: Timestamp
    /// Who read or erased.
    public var actor: String
    /// `.contactRead` or `.contactErased`.
    public var type: EventType
    public var access: ContactAccess
}

extension CaseLedger {
    /// Appends a `contactRead` or `contactErased` to the access stream, durably.
    ///
    /// The access stream is shared by every reader, so the append expects any version rather
    /// than folding the stream first: concurrent reads never retry each other. Retrying with the
    /// same `id` records the access once.
    /// - Throws: `RuleViolation` for any other event, an empty pseudonym or reason, or a personal
    ///   number in them (Docs/HALLRULES.md).
    @discardableResult
    public func recordAccess(_ data: EventData, at: Timestamp, actor: String,
                             id: UUID = .timeOrdered()) async throws -> Position {
        let admitted = try rules.admit(.record(data), at: at, by: actor, to: CaseFile(caseNumber: .contactAccess))
        let event = NewEvent(id: id, type: admitted.type, at: at, actor: actor, payload: admitted.encoded())
        return try await store.append(to: .contactAccess, expected: .any, events: [event]).positions[0]
    }

    /// Every read and erasure of `applicant`'s contact, oldest first.
    public func accesses(of applicant: String) throws -> [RecordedAccess] {
        var found: [RecordedAccess] = []
        try store.scan(of: CaseNumber.contactAccess) { view in
            switch try view.data() {
            case .contactRead(let access) where access.applicant == applicant,
                 .contactErased(let access) where access.applicant == applicant:
                found.append(RecordedAccess(seq: view.seq, at: view.at, actor: view.actor, type: try view.type, access: access))
            default: break
            }
            return true
        }
        return found
    }
}
