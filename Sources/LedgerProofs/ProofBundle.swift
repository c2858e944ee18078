import Foundation

/// One record of an inclusion bundle: its stored bytes, where it sits, and the path to the root.
public struct ProvenRecord: Sendable, Equatable {
    public var seq: UInt64
    public var version: UInt32
    /// The stored record, byte for byte (its leaf hash is SHA-256(0x00 ‖ record)).
    public var record: [UInt8]
    /// Nearest sibling first (RFC 9162 §2.1.3.1).
    public var path: [TreeHash]
    /// The decoded event as one JSON object (the interchange form), for people; not what is proven.
    public var event: [UInt8]?

    public init(seq: UInt64, version: UInt32, record: [UInt8], path: [TreeHash], event: [UInt8]?) {
        self.seq = seq
        self.version = version
        self.record = record
        self.path = path
        self.event = event
    }

    /// The record's leaf index in the tree: seq 1 is leaf 0.
    public var leafIndex: UInt64 { seq - 1 }
}

/// A self-contained proof, written as one JSON document (`Docs/PROOFS.md` describes the fields).
public enum ProofBundle: Sendable, Equatable {
    /// A case's records, each with its inclusion path, against a signed checkpoint.
    case inclusion(checkpoint: String, caseNumber: String, records: [ProvenRecord])
    /// That the signed checkpoint's log extends an older tree head without rewriting it.
    case consistency(oldSize: UInt64, oldRoot: TreeHash, checkpoint: String, proof: [TreeHash])

    public static let formatName = "ledger-proof-bundle/1"

    /// The JSON document, pretty enough to read, ending in a newline.
    public var json: [UInt8] {
        var w = BundleJSON()
        w.open("{")
        w.field("format", string: ProofBundle.formatName)
        switch self {
        case let .inclusion(checkpoint, caseNumber, records):
            w.field("kind", string: "inclusion")
            w.field("checkpoint", string: checkpoint)
            w.field("case", string: caseNumber)
            w.key("records")
            w.open("[")
            for record in records {
                w.element()
                w.open("{")
                w.field("seq", number: record.seq)
                w.field("leafIndex", number: record.leafIndex)
                w.field("version", number: UInt64(record.version))
                w.field("record", string: Base64.encode(record.record))
                if let event = record.event { w.field("event", raw: event) }
                w.field("path", hashes: record.path)
                w.close("}")
            }
            w.close("]")
        case let .consistency(oldSize, oldRoot, checkpoint, proof):
            w.field("kind", string: "consistency")
            w.field("old", string: "\(oldSize):\(oldRoot.hex)")
            w.field("checkpoint", string: checkpoint)
            w.field("proof", hashes: proof)
        }
        w.close("}")
        w.bytes.append(10)
        return w.bytes
    }

    /// Reads a bundle document. Fields beyond the ones checked (the decoded events) are ignored here.
    public init(json: [UInt8]) throws(ProofFailure) {
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: Data(json)) } catch {
            throw .malformedBundle("not a bundle document (\(Self.reason(error)))")
        }
        guard wire.format == ProofBundle.formatName else {
            throw .malformedBundle("format \"\(shown(wire.format, 40))\" is not \(ProofBundle.formatName)")
        }
        switch wire.kind {
        case "inclusion":
            guard let caseNumber = wire.case, let records = wire.records else {
                throw .malformedBundle("an inclusion bundle needs \"case\" and \"records\"")
            }
            var proven: [ProvenRecord] = []
            for r in records {
                guard let bytes = Base64.decode(r.record) else { throw .malformedBundle("record seq \(r.seq): \"record\" is not base64") }
                guard r.seq >= 1, r.leafIndex == r.seq - 1 else {
                    throw .malformedBundle("record seq \(r.seq): leafIndex \(r.leafIndex) is not seq - 1")
                }
                proven.append(ProvenRecord(seq: r.seq, version: r.version, record: bytes,
                                           path: try Self.hashes(r.path, "record seq \(r.seq) path"), event: nil))
            }
            self = .inclusion(checkpoint: wire.checkpoint, caseNumber: caseNumber, records: proven)
        case "consistency":
            guard let old = wire.old, let proof = wire.proof else {
                throw .malformedBundle("a consistency bundle needs \"old\" and \"proof\"")
            }
            let parts = old.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let size = UInt64(parts[0]), let root = TreeHash(hex: String(parts[1])) else {
                throw .malformedBundle("\"old\" must be SIZE:HEX")
            }
            self = .consistency(oldSize: size, oldRoot: root, checkpoint: wire.checkpoint, proof: try Self.hashes(proof, "proof"))
        default:
            throw .malformedBundle("kind \"\(shown(wire.kind, 40))\" is neither inclusion nor consistency")
        }
    }

    private static func hashes(_ texts: [String], _ what: String) throws(ProofFailure) -> [TreeHash] {
        var out: [TreeHash] = []
        out.reserveCapacity(texts.count)
        for (i, text) in texts.enumerated() {
            guard let hash = TreeHash(base64: text) else { throw .malformedBundle("\(what) entry \(i) is not the base64 of 32 bytes") }
            out.append(hash)
        }
        return out
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "malformed JSON"
        }
    }

    private struct Wire: Decodable {
        var format: String
        var kind: String
        var checkpoint: String
        var `case`: String?
        var records: [WireRecord]?
        var old: String?
        var proof: [String]?
    }

    private struct WireRecord: Decodable {
        var seq: UInt64
        var leafIndex: UInt64
        var version: UInt32
        var record: String
        var path: [String]
    }
}

/// Writes the bundle document: two-space indentation, one field a line.
private struct BundleJSON {
    var bytes: [UInt8] = []
    private var depth = 0
    private var first = true

    private mutating func newline() {
        bytes.append(10)
        bytes.append(contentsOf: repeatElement(32, count: 2 * depth))
    }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newline()
    }

    mutating func open(_ bracket: Character) {
        bytes.append(contentsOf: String(bracket).utf8)
        depth += 1
        first = true
    }

    mutating func close(_ bracket: Character) {
        depth -= 1
        newline()
        bytes.append(contentsOf: String(bracket).utf8)
        first = false
    }

    /// Starts an array element.
    mutating func element() { separate() }

    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(contentsOf: ": ".utf8)
    }

    mutating func field(_ name: String, string: String) { key(name); quoted(string) }
    mutating func field(_ name: String, number: UInt64) { key(name); bytes.append(contentsOf: String(number).utf8) }
    mutating func field(_ name: String, raw: [UInt8]) { key(name); bytes.append(contentsOf: raw) }

    /// An array of base64 hashes on one line.
    mutating func field(_ name: String, hashes: [TreeHash]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, hash) in hashes.enumerated() {
            if i > 0 { bytes.append(contentsOf: ", ".utf8) }
            quoted(hash.base64)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case 10: bytes.append(contentsOf: "\\n".utf8)
            case 0 ..< 32:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
