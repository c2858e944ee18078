import Ledger

/// A case number (办件编号): the name of a case's stream in the log (GB/T 39046: up to 50
/// characters, printable, no spaces).
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
