/// What the domain tells the store about its events: which type codes exist and which payload
/// bytes are a readable encoding of each. The store asks it about every event before the event
/// is appended, so nothing reaches the log that the read side cannot decode.
///
/// ```swift
/// struct Codec: EventCodec {
///     func check(type: EventTypeCode, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {
///         _ = try MyEvent(type: type, payload: payload)
///     }
/// }
/// let store = try EventStore(directory: "data/events", codec: Codec())
/// ```
public protocol EventCodec: Sendable {
    /// Throws when `type` is not a known type or `payload` is not a complete, decodable payload
    /// of it. Called on the appending caller's thread, once per event; keep it allocation-free.
    func check(type: EventTypeCode, payload: UnsafeRawBufferPointer) throws(ByteDecodingError)

    /// The type's name for people (JSON Lines, error messages), or nil when unknown.
    func name(of type: EventTypeCode) -> String?
}
