/// The name of one stream of the log (the domain's aggregate id, e.g. a case number): 1 to 50
/// printable characters, no spaces, at most 200 UTF-8 bytes.
public struct StreamID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The most UTF-8 bytes a stream id may take (50 characters of up to 4 bytes).
    public static let maxBytes = 200

    /// - Throws: `LedgerError.invalidStreamID` when empty, longer than 50 characters, or
    ///   containing spaces or control characters.
    public init(_ rawValue: String) throws(LedgerError) {
        guard !rawValue.isEmpty else { throw .invalidStreamID(rawValue, "it is empty") }
        guard rawValue.count <= 50, rawValue.utf8.count <= StreamID.maxBytes else {
            throw .invalidStreamID(rawValue, "it is longer than 50 characters")
        }
        guard rawValue.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7f }) else {
            throw .invalidStreamID(rawValue, "it contains a space or a control character")
        }
        self.rawValue = rawValue
    }

    /// A stream id read back from stored bytes (checked when first written), or a constant the
    /// domain knows to be valid.
    public init(unvalidated rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func < (a: StreamID, b: StreamID) -> Bool { a.rawValue < b.rawValue }
}

/// What the caller believes a stream's version to be when appending (optimistic concurrency).
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have this version (versions count from 0).
    case exact(UInt32)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let v): "version \(v)"
        }
    }
}
