import LedgerProofs

/// JSON values are parsed by the proofs module (bundles are JSON too); the domain reads
/// interchange lines with the same parser.
public typealias JSONValue = LedgerProofs.JSONValue

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Writes compact JSON with keys in the order the code gives them, so exports are byte-stable.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init() { bytes.reserveCapacity(256) }

    /// Empties the writer for the next document, keeping its storage (a writer reused for
    /// millions of small documents allocates once).
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// The key of the next value in an object.
    public mutating func key(_ k: String) {
        separate()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func value(_ s: String) { separate(); writeString(s) }
    public mutating func value(_ v: Int) { separate(); bytes.append(contentsOf: String(v).utf8) }
    public mutating func value(_ v: Bool) { separate(); bytes.append(contentsOf: (v ? "true" : "false").utf8) }
    public mutating func value(_ v: Double) {
        separate()
        bytes.append(contentsOf: (v.isFinite ? "\(v)" : "null").utf8)
    }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    /// A value already written as JSON (e.g. by `JSONEncoder`, for a type printed that way elsewhere).
    public mutating func value(json: some Sequence<UInt8>) { separate(); bytes.append(contentsOf: json) }

    public mutating func field(_ k: String, _ v: String) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: [String]) {
        key(k)
        beginArray()
        for s in v { value(s) }
        endArray()
    }

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: s.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
