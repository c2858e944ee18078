import Ledger

/// An event the case's current state does not allow. Nothing is written.
public struct RuleViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// "case LZH-2023-000001" or "item LZH-Q-0001".
    public let subject: String
    /// The state the subject is in.
    public let state: String
    public let event: EventType
    public let reason: String

    public init(subject: String, state: String, event: EventType, reason: String) {
        self.subject = subject
        self.state = state
        self.event = event
        self.reason = reason
    }

    public var description: String { "\(subject) is \(state): \(event) refused: \(reason)" }
}
