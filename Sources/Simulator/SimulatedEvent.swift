import CaseDomain
import Foundation
import Ledger

/// One event of the simulated district, ready to append or export.
public struct SimulatedEvent: Sendable, Hashable {
    /// A version-4 layout UUID drawn from the simulation's PRNG (so it repeats with the seed).
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
    /// A UUID with the version-4 layout from 122 random bits.
    mutating func uuid() -> UUID {
        let high = next(), low = next()
        var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                     UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw[6] = (raw[6] & 0x0f) | 0x40
            raw[8] = (raw[8] & 0x3f) | 0x80
        }
        return UUID(uuid: bytes)
    }
}
