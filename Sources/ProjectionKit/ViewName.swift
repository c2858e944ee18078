/// A read model's stable, unique name, e.g. `caseState`: its key in the views' records and the
/// name `ledger project` prints. Each projection module declares its own as a static member
/// (`extension ViewName { static let caseState = ViewName("caseState") }`), so callers name a
/// view by a symbol the compiler checks instead of a string.
public struct ViewName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
