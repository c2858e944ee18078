/// A case number (办件编号), the name of one stream in the log: 1 to 50 ASCII letters, digits,
/// `-`, `_` and `.`, as the GB/T 39046-style numbers the hall issues (`LZH-2023-000123`).
/// ASCII only, because a stream is named by its bytes: "café" typed precomposed and decomposed
/// looks the same and compares equal as a Swift string, yet would name two streams.
/// The catalog's stream is ``CaseNumber/catalog``.
public struct CaseNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The most UTF-8 bytes a case number may take (50 characters of up to 4 bytes).
    public static let maxBytes = 200

    /// - Throws: `LedgerError.invalidCaseNumber` when empty, longer than 50 characters, or
    ///   containing anything but ASCII letters, digits, `-`, `_` and `.`.
    public init(_ rawValue: String) throws(LedgerError) {
        guard !rawValue.isEmpty else { throw .invalidCaseNumber(rawValue, "it is empty") }
        guard rawValue.unicodeScalars.count <= 50, rawValue.utf8.count <= CaseNumber.maxBytes else {
            throw .invalidCaseNumber(rawValue, "it is longer than 50 characters")
        }
        guard rawValue.unicodeScalars.allSatisfy(CaseNumber.allowed) else {
            throw .invalidCaseNumber(rawValue, "use only ASCII letters, digits, '-', '_' and '.' (e.g. LZH-2023-000123)")
        }
        self.rawValue = rawValue
    }

    /// The characters of a case number.
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A" ... "Z", "a" ... "z", "0" ... "9", "-", "_", ".": true
        default: false
        }
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
