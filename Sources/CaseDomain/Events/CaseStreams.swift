import Ledger

/// A case number (办件编号): the name of a case's stream in the log: 1 to 50 ASCII letters,
/// digits, `-`, `_` and `.`, as the GB/T 39046-style numbers the hall issues (`LZH-2023-000123`).
/// ASCII only, because a stream is named by its bytes: "café" typed precomposed and decomposed
/// looks the same and compares equal as a Swift string, yet would name two streams.
public typealias CaseNumber = StreamID

/// A case number the ledger cannot take, and why (one line, for the clerk).
public struct InvalidCaseNumber: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

extension StreamID {
    /// Parses a case number (the stream id rules, with a message that speaks of case numbers).
    public init(caseNumber raw: String) throws(InvalidCaseNumber) {
        do { try self.init(raw) } catch {
            guard case let .invalidStreamID(_, reason) = error else { throw InvalidCaseNumber(description: error.description) }
            throw InvalidCaseNumber(description: "invalid case number \"\(raw.prefix(60))\": \(reason)")
        }
        guard raw.unicodeScalars.allSatisfy(StreamID.isCaseNumberCharacter) else {
            throw InvalidCaseNumber(description: "invalid case number \"\(raw.prefix(60))\": use only ASCII letters, digits, '-', '_' and '.' (e.g. LZH-2023-000123)")
        }
    }

    /// The characters of a case number.
    static func isCaseNumberCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A" ... "Z", "a" ... "z", "0" ... "9", "-", "_", ".": true
        default: false
        }
    }

    /// The stream of catalog events (items published and revised): the catalog is history too.
    public static let catalog = StreamID(unvalidated: "CATALOG")
}

extension EventView {
    /// The case number's UTF-8 bytes, borrowed.
    @inlinable public var caseBytes: UnsafeRawBufferPointer { streamBytes }
    public var caseNumber: CaseNumber { stream }
}

extension RecordedEvent {
    public var caseNumber: CaseNumber { stream }
}
