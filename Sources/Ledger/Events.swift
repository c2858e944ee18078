import Foundation

/// An event to append: what happened (a type code and payload bytes, both the domain's, checked
/// by the store's `EventCodec`), when, and who did it.
public struct NewEvent: Sendable, Hashable {
    /// Retrying an append with the same id is harmless: the original position is returned.
    /// New ids are time-ordered (UUID version 7), which keeps the id index append-only.
    public var id: UUID
    public var type: EventTypeCode
    public var at: Timestamp
    /// Who recorded it: a clerk id, `system`, `importer`, …
    public var actor: String
    public var payload: [UInt8]

    public init(id: UUID = .timeOrdered(), type: EventTypeCode, at: Timestamp, actor: String, payload: [UInt8]) {
        self.id = id
        self.type = type
        self.at = at
        self.actor = actor
        self.payload = payload
    }
}

/// An event as the log holds it.
public struct RecordedEvent: Sendable, Hashable {
    /// Position in the global log, from 1, gapless.
    public var seq: UInt64
    public var stream: StreamID
    /// Position in its stream, from 0.
    public var version: UInt32
    public var id: UUID
    public var typeCode: EventTypeCode
    public var at: Timestamp
    public var actor: String
    public var payload: [UInt8]
    /// This record's link in the hash chain.
    public var hash: ChainHash
    /// Format version the record was stored in (older ones are upcast when read).
    public var format: UInt8
}

/// Where an appended event landed.
public struct Position: Sendable, Hashable, CustomStringConvertible {
    public var seq: UInt64
    public var version: UInt32
    public init(seq: UInt64, version: UInt32) {
        self.seq = seq
        self.version = version
    }
    public var description: String { "seq \(seq) v\(version)" }
}

/// The outcome of one append.
public struct AppendResult: Sendable, Hashable {
    /// One position per event, in order.
    public var positions: [Position]
    /// True when every event id was already in the log with the same content: nothing was
    /// appended and the original positions are returned.
    public var alreadyRecorded: Bool
}

/// One stream's append: the unit of atomicity and of optimistic concurrency.
public struct AppendRequest: Sendable {
    public var stream: StreamID
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: StreamID, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

extension NewEvent {
    /// A name-based id (UUID version 8 layout): the first 16 bytes of SHA-256 of `content`.
    /// For interchange lines that carry no id, so that importing the same line twice records it once.
    public static func contentID(line content: some Collection<UInt8>) -> UUID {
        var bytes = Array(content).withUnsafeBytes { ChainHash.genesis.linking($0) }.bytes
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return bytes.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }
}
