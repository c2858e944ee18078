import Ledger

/// A record a projection could not fold into its view: which seq, and why. A projection throws
/// it from `apply` when a record does not decode (`FoldFailure(seq:error)`); the runner adds the
/// view's name (`ProjectionError.foldFailed`), so a bad record is never an anonymous "malformed"
/// error. Errors that are not the record's (the environment's) must pass through unchanged.
public struct FoldFailure: Error, Sendable, CustomStringConvertible {
    public let seq: UInt64
    public let reason: String

    public init(seq: UInt64, reason: String) {
        self.seq = seq
        self.reason = reason
    }

    /// The failure of the record at `seq`; a `FoldFailure` already naming a seq is kept as it is.
    public init(seq: UInt64, _ error: any Error) {
        if let failure = error as? FoldFailure {
            self = failure
        } else {
            self.init(seq: seq, reason: "\(error)")
        }
    }

    public var description: String { "seq \(seq): \(reason)" }
}
