/// A case number (办件编号), the name of one stream in the log. GB/T 39046 allows up to 50
/// characters; printable, no spaces. The catalog's stream is ``CaseNumber/catalog``.
public struct CaseNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The most UTF-8 bytes a case number may take (50 characters of up to 4 bytes).
    public static let maxBytes = 200

    /// - Throws: `LedgerError.invalidCaseNumber` when empty, longer than 50 characters, or
    ///   containing spaces or control characters.
    public init(_ rawValue: String) throws(LedgerError) {
        guard !rawValue.isEmpty else { throw .invalidCaseNumber(rawValue, "it is empty") }
        guard rawValue.count <= 50, rawValue.utf8.count <= CaseNumber.maxBytes else {
            throw .invalidCaseNumber(rawValue, "it is longer than 50 characters")
        }
        guard rawValue.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7f }) else {
            throw .invalidCaseNumber(rawValue, "it contains a space or a control character")
        }
        self.rawValue = rawValue
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// A case number read back from stored bytes, which were checked when first written.
    public init(unvalidated rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func < (a: CaseNumber, b: CaseNumber) -> Bool { a.rawValue < b.rawValue }

    /// The stream of catalog events (items published and revised).
    public static let catalog = CaseNumber(unchecked: "CATALOG")
}

/// What the caller believes a case's version to be when appending (optimistic concurrency).
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the case holds.
    case any
    /// The case must not exist yet.
    case noStream
    /// The case's last event must have this version (versions count from 0).
    case exact(UInt32)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let v): "version \(v)"
        }
    }
}
