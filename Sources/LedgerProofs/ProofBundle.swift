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
        var w = BundleJSON(capacity: estimatedSize)
        w.open(UInt8(ascii: "{"))
        w.field("format", string: ProofBundle.formatName)
        switch self {
        case let .inclusion(checkpoint, caseNumber, records):
            w.field("kind", string: "inclusion")
            w.field("checkpoint", string: checkpoint)
            w.field("case", string: caseNumber)
            w.key("records")
            w.open(UInt8(ascii: "["))
            for record in records {
                w.element()
                w.open(UInt8(ascii: "{"))
                w.field("seq", number: record.seq)
                w.field("leafIndex", number: record.leafIndex)
                w.field("version", number: UInt64(record.version))
                w.field("record", base64: record.record)
                if let event = record.event { w.field("event", raw: event) }
                w.field("path", hashes: record.path)
                w.close(UInt8(ascii: "}"))
            }
            w.close(UInt8(ascii: "]"))
        case let .consistency(oldSize, oldRoot, checkpoint, proof):
            w.field("kind", string: "consistency")
            w.field("old", string: "\(oldSize):\(oldRoot.hex)")
            w.field("checkpoint", string: checkpoint)
            w.field("proof", hashes: proof)
        }
        w.close(UInt8(ascii: "}"))
        w.bytes.append(10)
        return w.bytes
    }

    /// A little more than the document's length, so that writing it never grows the buffer.
    private var estimatedSize: Int {
        switch self {
        case let .inclusion(checkpoint, caseNumber, records):
            records.reduce(256 + 2 * (checkpoint.utf8.count + caseNumber.utf8.count)) { size, record in
                size + 160 + Base64.encodedCount(record.record.count) + (record.event?.count ?? 0) + 48 * record.path.count
            }
        case let .consistency(_, _, checkpoint, proof): 384 + 2 * checkpoint.utf8.count + 48 * proof.count
        }
    }

    /// Reads a bundle document. Fields beyond the ones checked (the decoded events) are ignored
    /// here, though the whole document must be strict JSON.
    public init(json: [UInt8]) throws(ProofFailure) {
        let read = json.withUnsafeBytes { raw in Result { () throws(ProofFailure) in try ProofBundle(document: raw) } }
        self = try read.get()
    }

    private init(document: UnsafeRawBufferPointer) throws(ProofFailure) {
        let tape: JSONTape
        do { tape = try JSONTape.parse(document) } catch {
            throw .malformedBundle("not a bundle document (malformed JSON: \(error))")
        }
        let top = try BundleFields(tape, 0, path: "")
        let format = try top.string("format")
        guard format == ProofBundle.formatName else {
            throw .malformedBundle("format \"\(shown(format, 40))\" is not \(ProofBundle.formatName)")
        }
        let kind = try top.string("kind")
        let checkpoint = try top.string("checkpoint")
        switch kind {
        case "inclusion":
            guard let caseNumber = try top.optionalString("case"), let records = try top.optionalArray("records") else {
                throw .malformedBundle("an inclusion bundle needs \"case\" and \"records\"")
            }
            let elements = tape.elements(records)
            var proven: [ProvenRecord] = []
            proven.reserveCapacity(elements.count)
            for (i, value) in elements.enumerated() {
                let r = try BundleFields(tape, value, path: "records.\(i)")
                let seq = try r.number("seq", as: UInt64.self)
                let leafIndex = try r.number("leafIndex", as: UInt64.self)
                guard let bytes = tape.withUTF8(try r.stringEntry("record"), { Base64.decode($0) }) else {
                    throw .malformedBundle("record seq \(seq): \"record\" is not base64")
                }
                guard seq >= 1, leafIndex == seq - 1 else {
                    throw .malformedBundle("record seq \(seq): leafIndex \(leafIndex) is not seq - 1")
                }
                proven.append(ProvenRecord(seq: seq, version: try r.number("version", as: UInt32.self), record: bytes,
                                           path: try Self.hashes(tape, try r.strings("path"), "record seq \(seq) path"), event: nil))
            }
            self = .inclusion(checkpoint: checkpoint, caseNumber: caseNumber, records: proven)
        case "consistency":
            guard let old = try top.optionalString("old"), let proof = try top.optionalArray("proof") else {
                throw .malformedBundle("a consistency bundle needs \"old\" and \"proof\"")
            }
            let parts = old.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let size = UInt64(parts[0]), let root = TreeHash(hex: String(parts[1])) else {
                throw .malformedBundle("\"old\" must be SIZE:HEX")
            }
            let texts = try BundleFields.strings(tape, proof, path: "proof")
            self = .consistency(oldSize: size, oldRoot: root, checkpoint: checkpoint, proof: try Self.hashes(tape, texts, "proof"))
        default:
            throw .malformedBundle("kind \"\(shown(kind, 40))\" is neither inclusion nor consistency")
        }
    }

    /// The hashes of the strings at `texts`.
    private static func hashes(_ tape: JSONTape, _ texts: [Int], _ what: String) throws(ProofFailure) -> [TreeHash] {
        var out: [TreeHash] = []
        out.reserveCapacity(texts.count)
        for (i, text) in texts.enumerated() {
            guard let hash = tape.withUTF8(text, { TreeHash(base64: $0) }) else {
                throw .malformedBundle("\(what) entry \(i) is not the base64 of 32 bytes")
            }
            out.append(hash)
        }
        return out
    }
}

/// The members of one JSON object of a bundle, read with errors that name the field's path.
private struct BundleFields {
    let tape: JSONTape
    let object: Int
    let path: String

    init(_ tape: JSONTape, _ entry: Int, path: String) throws(ProofFailure) {
        guard tape.entries[entry].kind == .object else { throw BundleFields.wrongType(path.isEmpty ? "the document" : path) }
        self.tape = tape
        object = entry
        self.path = path
    }

    private func named(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func wrongType(_ path: String) -> ProofFailure { .malformedBundle("not a bundle document (wrong type at \(path))") }

    /// The entry of the member `key`, nil when it is missing or null.
    private func member(_ key: String) -> Int? {
        guard let value = tape.member(object, key), tape.entries[value].kind != .null else { return nil }
        return value
    }

    private func required(_ key: String) throws(ProofFailure) -> Int {
        guard let value = member(key) else { throw .malformedBundle("not a bundle document (missing \"\(named(key))\")") }
        return value
    }

    /// The entry of the string member `key`.
    func stringEntry(_ key: String) throws(ProofFailure) -> Int {
        let value = try required(key)
        guard tape.entries[value].kind == .string else { throw Self.wrongType(named(key)) }
        return value
    }

    func string(_ key: String) throws(ProofFailure) -> String { tape.string(try stringEntry(key)) }

    func optionalString(_ key: String) throws(ProofFailure) -> String? {
        guard let value = member(key) else { return nil }
        guard tape.entries[value].kind == .string else { throw Self.wrongType(named(key)) }
        return tape.string(value)
    }

    /// The entry of the array member `key`, nil when it is missing or null.
    func optionalArray(_ key: String) throws(ProofFailure) -> Int? {
        guard let value = member(key) else { return nil }
        guard tape.entries[value].kind == .array else { throw Self.wrongType(named(key)) }
        return value
    }

    func number<N: FixedWidthInteger & UnsignedInteger>(_ key: String, as: N.Type) throws(ProofFailure) -> N {
        let value = try required(key)
        guard tape.entries[value].kind == .integer, let n = N(exactly: tape.entries[value].integer) else { throw Self.wrongType(named(key)) }
        return n
    }

    /// The entries of the array member `key`, each a string.
    func strings(_ key: String) throws(ProofFailure) -> [Int] {
        let value = try required(key)
        guard tape.entries[value].kind == .array else { throw Self.wrongType(named(key)) }
        return try Self.strings(tape, value, path: named(key))
    }

    static func strings(_ tape: JSONTape, _ array: Int, path: String) throws(ProofFailure) -> [Int] {
        let elements = tape.elements(array)
        for (i, element) in elements.enumerated() where tape.entries[element].kind != .string {
            throw wrongType("\(path).\(i)")
        }
        return elements
    }
}

/// Writes the bundle document: two-space indentation, one field a line. Base64 (records, path
/// hashes) is written straight into the document: its alphabet needs no escaping.
private struct BundleJSON {
    var bytes: [UInt8] = []
    private var depth = 0
    private var first = true

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    private mutating func newline() {
        bytes.append(10)
        bytes.append(contentsOf: repeatElement(32, count: 2 * depth))
    }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newline()
    }

    mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        first = true
    }

    mutating func close(_ bracket: UInt8) {
        depth -= 1
        newline()
        bytes.append(bracket)
        first = false
    }

    /// Starts an array element.
    mutating func element() { separate() }

    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: "\": ".utf8)
    }

    mutating func field(_ name: StaticString, string: String) { key(name); quoted(string) }
    mutating func field(_ name: StaticString, number: UInt64) { key(name); bytes.append(contentsOf: String(number).utf8) }
    mutating func field(_ name: StaticString, raw: [UInt8]) { key(name); bytes.append(contentsOf: raw) }

    /// A string of the base64 of `data`.
    mutating func field(_ name: StaticString, base64 data: [UInt8]) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        data.withUnsafeBytes { Base64.append($0, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// An array of base64 hashes on one line.
    mutating func field(_ name: StaticString, hashes: [TreeHash]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, hash) in hashes.enumerated() {
            if i > 0 { bytes.append(contentsOf: ", ".utf8) }
            bytes.append(UInt8(ascii: "\""))
            hash.appendBase64(to: &bytes)
            bytes.append(UInt8(ascii: "\""))
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
