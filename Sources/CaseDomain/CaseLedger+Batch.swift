import Foundation
import Ledger

/// One event of a `CaseLedger.record(_:to:actor:expected:)` batch.
public struct CaseEventDraft: Sendable, Hashable {
    public var id: UUID
    /// What the clerk gave; the rules turn it into the recorded data.
    public var request: EventRequest
    public var at: Timestamp

    public init(id: UUID, request: EventRequest, at: Timestamp) {
        self.id = id
        self.request = request
        self.at = at
    }
}

/// What a batch record did: the events' positions, and whether they were already in the log.
public struct RecordedBatch: Sendable, Hashable {
    public var positions: [Position]
    /// Every event id was recorded before with the same content (a retry): nothing was appended.
    public var alreadyRecorded: Bool
}

extension CaseLedger {
    /// Checks `drafts` in order against the case (each against the state the earlier ones leave)
    /// and appends them atomically, durably, with one actor.
    ///
    /// With `expected`, the case must be at that version (optimistic concurrency for a client
    /// that read the case first); without it, a concurrent change is handled by checking again.
    /// A retry — every id already recorded with the same content — returns the original positions.
    /// - Throws: `LedgerError.wrongExpectedVersion` (with the actual version), `RuleViolation`,
    ///   `LedgerError.idConflict` / `.partialRetry`; nothing is written.
    public func record(_ drafts: [CaseEventDraft], to caseNumber: CaseNumber, actor: String,
                       expected: ExpectedVersion? = nil) async throws -> RecordedBatch {
        guard !drafts.isEmpty else { throw LedgerError.emptyAppend(caseNumber) }
        if let replay = try recordedBefore(drafts, caseNumber: caseNumber, actor: actor) { return replay }
        var attempts = 0
        while true {
            var file = try file(of: caseNumber)
            let current: ExpectedVersion = file.version.map { .exact($0) } ?? .noStream
            if let expected, !Self.matches(expected, file.version) {
                throw LedgerError.wrongExpectedVersion(stream: caseNumber, expected: expected, actual: file.version)
            }
            var rules = self.rules
            var events: [NewEvent] = []
            for draft in drafts {
                let admitted = try rules.admit(draft.request, at: draft.at, by: actor, to: file)
                file.apply(admitted, at: draft.at)
                if caseNumber == .administration { rules.grants.apply(admitted, at: draft.at, actor: actor) }
                events.append(NewEvent(id: draft.id, type: admitted.type, at: draft.at, actor: actor, payload: admitted.encoded()))
            }
            do {
                let result = try await store.append(to: caseNumber, expected: current, events: events)
                if caseNumber == .administration, !result.alreadyRecorded { try reloadGrants() }
                return RecordedBatch(positions: result.positions, alreadyRecorded: result.alreadyRecorded)
            } catch LedgerError.wrongExpectedVersion(_, _, let actual) {
                // Another writer got in between the check and the append: a client that named its
                // version hears of it; otherwise check the rules again on the new state.
                if let expected { throw LedgerError.wrongExpectedVersion(stream: caseNumber, expected: expected, actual: actual) }
                attempts += 1
                if attempts > 5 { throw LedgerError.wrongExpectedVersion(stream: caseNumber, expected: current, actual: actual) }
            }
        }
    }

    private static func matches(_ expected: ExpectedVersion, _ version: UInt32?) -> Bool {
        switch expected {
        case .any: true
        case .noStream: version == nil
        case .exact(let v): version == v
        }
    }

    /// The original positions when every draft's id is recorded with the same case, type, time
    /// and actor; nil when none is; a conflict otherwise.
    private func recordedBefore(_ drafts: [CaseEventDraft], caseNumber: CaseNumber, actor: String) throws -> RecordedBatch? {
        var positions: [Position] = []
        for draft in drafts {
            guard let seq = try store.seq(ofEventID: draft.id) else {
                if positions.isEmpty { continue }
                throw LedgerError.partialRetry(id: draft.id, seq: positions[0].seq)
            }
            guard let stored = try store.events(from: seq, limit: 1).first, stored.seq == seq,
                  try isRecorded(draft.request, to: caseNumber, at: draft.at, actor: actor, as: stored)
            else { throw LedgerError.idConflict(id: draft.id, seq: seq) }
            positions.append(Position(seq: stored.seq, version: stored.version))
        }
        if positions.isEmpty { return nil }
        guard positions.count == drafts.count else {
            throw LedgerError.partialRetry(id: drafts[positions.count].id, seq: positions[0].seq)
        }
        return RecordedBatch(positions: positions, alreadyRecorded: true)
    }
}
