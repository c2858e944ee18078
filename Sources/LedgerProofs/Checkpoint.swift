/// A tree head: the log's size and root at one moment, named by the log's origin.
///
/// Written as the C2SP `tlog-checkpoint` body: the origin line, the size in decimal, the root in
/// base64, each ending in a newline. Signed, it becomes a signed note (see `SignedCheckpoint`).
public struct Checkpoint: Hashable, Sendable {
    public var origin: String
    public var size: UInt64
    public var root: TreeHash

    public init(origin: String, size: UInt64, root: TreeHash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text the signature covers (three lines, each ending in a newline).
    public var body: String { "\(origin)\n\(size)\n\(root.base64)\n" }

    /// Parses a checkpoint body; extension lines after the root are refused (this log writes none).
    public init(body: String) throws(ProofFailure) {
        guard body.hasSuffix("\n") else { throw .malformedCheckpoint("the text must end in a newline") }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 3 else {
            throw .malformedCheckpoint("expected 3 lines (origin, size, root), found \(lines.count)")
        }
        guard Checkpoint.isValidOrigin(lines[0]) else { throw .malformedCheckpoint("the origin line \"\(shown(lines[0], 60))\" is empty or has spaces or '+'") }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw .malformedCheckpoint("the size line \"\(shown(lines[1], 30))\" is not a decimal number")
        }
        guard let root = TreeHash(base64: lines[2]) else {
            throw .malformedCheckpoint("the root line is not the base64 of 32 bytes")
        }
        self.init(origin: lines[0], size: size, root: root)
    }

    /// A key name (and so an origin): non-empty, no spaces, no '+', no control characters —
    /// C1 ones (U+0080…U+009F, e.g. CSI) included: the checkpoint fuzzer found them accepted,
    /// then echoed raw in "no signature … for origin …".
    public static func isValidOrigin(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s.properties.generalCategory != .control && s != "+" && !s.properties.isWhitespace
        }
    }
}
