/// A file under `seeds/` that could not be read or does not have the expected shape.
public struct SeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or folder) concerned.
    public let path: String
    /// What was wrong, with the line or field where known.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "seed file \(path): \(reason)" }
}
