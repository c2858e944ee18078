import Ledger

/// The case domain's codec for the event store: a payload is accepted only when it decodes as
/// the `EventData` of its type, so the log never holds an event the read side cannot read.
///
/// ```swift
/// let store = try EventStore(directory: "ledger-data/events", codec: CaseEventCodec())
/// ```
public struct CaseEventCodec: EventCodec {
    public init() {}

    public func check(type: EventTypeCode, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        try EventData.check(type: try EventType(stored: type), payload: payload)
    }

    public func name(of type: EventTypeCode) -> String? { EventType(code: type)?.name }
}
