import CaseDomain
import Foundation
import Ledger

/// One event of the simulated district, ready to append or export.
public struct SimulatedEvent: Sendable, Hashable {
    /// A time-ordered (version 7) UUID with random bits from the simulation's PRNG (so it repeats with the seed).
    public var id: UUID
    public var caseNumber: CaseNumber
    /// Complete as stored: an `accepted` event carries its limits and computed deadline.
    public var data: EventData
    public var at: Timestamp
    /// A clerk id of the window that acted, `applicant`, or `system`.
    public var actor: String

    public init(id: UUID, caseNumber: CaseNumber, data: EventData, at: Timestamp, actor: String) {
        self.id = id
        self.caseNumber = caseNumber
        self.data = data
        self.at = at
        self.actor = actor
    }

    /// The event as one JSON Lines interchange line (no newline).
    public var interchangeLine: [UInt8] {
        InterchangeEvent.line(id: id, caseNumber: caseNumber.rawValue, type: data.type, at: at, actor: actor, data: data)
    }
}

extension RandomSource {
    /// A time-ordered UUID (version 7) for an event at `milliseconds`, its random bits drawn
    /// from the PRNG: it repeats with the seed, and the log's id index grows at its end.
    mutating func uuid(at milliseconds: Int64) -> UUID {
        UUID.timeOrdered(milliseconds: milliseconds, random: next(), next())
    }
}
