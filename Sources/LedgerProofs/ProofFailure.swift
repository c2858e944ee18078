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
            "checkpoint has no signature by the given public key for origin \(shown(origin, 120)) (wrong key or wrong log)"
        case let .unreadableRecord(seq, reason): "record seq \(seq): unreadable (\(reason))"
        case let .leafOutsideTree(seq, size): "record seq \(seq): outside the checkpoint's tree of \(size) records"
        case .notIncluded(let seq):
            "record seq \(seq): its bytes and inclusion path do not lead to the checkpoint's root (record or path altered)"
        case .outOfOrder(let seq): "record seq \(seq): not after the record before it in the bundle"
        case let .wrongCase(seq, found): "record seq \(seq): belongs to case \(shown(found, 60)), not the bundle's case"
        case let .wrongVersion(seq, expected, found):
            "record seq \(seq): case version \(found) where \(expected) was expected (a record is missing or out of place)"
        case let .inconsistent(oldSize, newSize):
            "the log of \(newSize) records does not extend the log of \(oldSize) records (history rewritten, or proof altered)"
        }
    }
}

/// Input echoed in a failure: at most `limit` characters, control characters written as
/// `\n` or `\u{1B}`, so a hostile bundle or checkpoint can neither break the message's line
/// nor drive a terminal (the bundle fuzzer found "format" values with newlines echoed).
func shown(_ text: some StringProtocol, _ limit: Int) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.prefix(limit).unicodeScalars {
        switch scalar.value {
        case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
        case 0 ..< 0x20, 0x7F ..< 0xA0, 0x2028, 0x2029:
            out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
        default: out.append(scalar)
        }
    }
    return String(out)
}
