/// An event's type as the log stores it: one byte. The store gives it no meaning; the domain's
/// `EventCodec` says which codes exist and what their payloads hold. Codes are never reused or
/// renumbered.
public struct EventTypeCode: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static func < (a: EventTypeCode, b: EventTypeCode) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "type code \(rawValue)" }
}
