/// Why a proof, checkpoint, key or bundle did not check. One line each, naming what failed.
public enum ProofFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedCheckpoint(String)
    case malformedKey(String)
    case malformedBundle(String)
    /// A signature line by the given key does not verify: the checkpoint was altered or forged.
    case badSignature
    /// No signature line by the given key under the checkpoint's origin.
    case noSignatureByKey(origin: String)
    case unreadableRecord(seq: UInt64, reason: String)
    case leafOutsideTree(seq: UInt64, size: UInt64)
    /// The record and its path do not lead to the checkpoint's root.
    case notIncluded(seq: UInt64)
    case outOfOrder(seq: UInt64)
    case wrongCase(seq: UInt64, found: String)
    case wrongVersion(seq: UInt64, expected: UInt32, found: UInt32)
    /// The proof does not show that the newer tree extends the older one.
    case inconsistent(oldSize: UInt64, newSize: UInt64)

    public var description: String {
        switch self {
        case .malformedCheckpoint(let reason): "checkpoint is malformed: \(reason)"
        case .malformedKey(let reason): "key file is malformed: \(reason)"
        case .malformedBundle(let reason): "bundle is malformed: \(reason)"
        case .badSignature: "checkpoint signature does not verify with the given public key (altered or forged)"
        case .noSignatureByKey(let origin):
            "checkpoint has no signature by the given public key for origin \(origin) (wrong key or wrong log)"
        case let .unreadableRecord(seq, reason): "record seq \(seq): unreadable (\(reason))"
        case let .leafOutsideTree(seq, size): "record seq \(seq): outside the checkpoint's tree of \(size) records"
        case .notIncluded(let seq):
            "record seq \(seq): its bytes and inclusion path do not lead to the checkpoint's root (record or path altered)"
        case .outOfOrder(let seq): "record seq \(seq): not after the record before it in the bundle"
        case let .wrongCase(seq, found): "record seq \(seq): belongs to case \(found.prefix(60)), not the bundle's case"
        case let .wrongVersion(seq, expected, found):
            "record seq \(seq): case version \(found) where \(expected) was expected (a record is missing or out of place)"
        case let .inconsistent(oldSize, newSize):
            "the log of \(newSize) records does not extend the log of \(oldSize) records (history rewritten, or proof altered)"
        }
    }
}
