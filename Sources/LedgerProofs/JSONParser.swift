/// A strict JSON (RFC 8259) parser into `JSONValue`, in one pass over the bytes. Interchange
/// lines and proof bundles are parsed with it: Foundation's `JSONDecoder` through `Decodable`
/// costs several times more, and an import reads hundreds of thousands of lines.
package struct JSONParser {
    package struct Failure: Error, CustomStringConvertible {
        package let offset: Int
        package let reason: String
        package var description: String { "\(reason) at byte \(offset + 1)" }
    }

    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    var i = 0
    var depth = 0
    private static let maxDepth = 64

    /// Parses exactly one JSON value (surrounding whitespace allowed).
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.i == bytes.count else { throw parser.fail("unexpected text after the value") }
        return value
    }

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func fail(_ reason: String) -> Failure { Failure(offset: i, reason: reason) }

    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard let c = current else { throw fail("unexpected end") }
        switch c {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected end") }
        for k in 0 ..< n where bytes[i + k] != word.utf8Start[k] { throw fail("unexpected character") }
        i += n
    }

    mutating func nest() throws(Failure) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw fail("nested too deeply") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        if opensEmpty(closedBy: UInt8(ascii: "}")) { return .object(members) }
        repeat {
            try expectKey()
            let key = try string()
            try expectColon()
            guard members.updateValue(try value(), forKey: key) == nil else { throw fail("key \"\(shown(key, 60))\" appears twice") }
        } while try continues(closedBy: UInt8(ascii: "}"))
        return .object(members)
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if opensEmpty(closedBy: UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            skipWhitespace()
            elements.append(try value())
        } while try continues(closedBy: UInt8(ascii: "]"))
        return .array(elements)
    }

    // The punctuation of objects and arrays, which `JSONTape` reads the same way.

    /// Steps past a container's opening bracket; true when `close` follows at once (`{}`, `[]`),
    /// which it steps past too.
    mutating func opensEmpty(closedBy close: UInt8) -> Bool {
        i += 1
        skipWhitespace()
        guard current == close else { return false }
        i += 1
        return true
    }

    /// Before a member: at its key's opening quote.
    mutating func expectKey() throws(Failure) {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
    }

    /// After a member's key: past the `:` and the white space after it.
    mutating func expectColon() throws(Failure) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
        i += 1
        skipWhitespace()
    }

    /// After a member or element: true past a `,` (another follows), false past `close`.
    mutating func continues(closedBy close: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        switch current {
        case UInt8(ascii: ","): i += 1; return true
        case close: i += 1; return false
        default: throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
    }

    /// Reads the string whose opening quote is at `i`.
    mutating func string() throws(Failure) -> String {
        i += 1
        let start = i
        // The common case: no escapes — the bytes are the string (validated as UTF-8 below).
        var ascii: UInt8 = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { break }
            guard c >= 0x20 else { throw fail("control character in a string") }
            ascii |= c
            i += 1
        }
        guard let end = current else { throw fail("unterminated string") }
        if end == UInt8(ascii: "\"") {
            i += 1
            let text = UnsafeRawBufferPointer(rebasing: bytes[start ..< i - 1])
            if ascii < 0x80 { return String(decoding: text, as: UTF8.self) }
            return try utf8(text)
        }
        var out = Array(bytes[start ..< i])
        while true {
            guard let c = current else { throw fail("unterminated string") }
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                guard out.withUnsafeBytes({ isWellFormedUTF8($0) }) else { throw fail("invalid UTF-8") }
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = current else { throw fail("unterminated string") }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800 ... 0xDBFF).contains(scalar) {
                        guard current == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00 ... 0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00 ... 0xDFFF).contains(scalar) {
                        throw fail("unpaired surrogate")
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
                default: throw fail("bad escape")
                }
            default:
                guard c >= 0x20 else { throw fail("control character in a string") }
                out.append(c)
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0 ..< 4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// The string of `raw` when it is well-formed UTF-8. Checked here, not by
    /// `String(validating:as:)`: that generic initialiser looked up type metadata on every
    /// call, and took a third of reading a proof bundle.
    private func utf8(_ raw: UnsafeRawBufferPointer) throws(Failure) -> String {
        guard isWellFormedUTF8(raw) else { throw fail("invalid UTF-8") }
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func number() throws(Failure) -> JSONValue {
        let start = i
        if current == UInt8(ascii: "-") { i += 1 }
        guard let first = current, (48 ... 57).contains(first) else { throw fail("bad number") }
        if first == 48 {
            i += 1
        } else {
            while let c = current, (48 ... 57).contains(c) { i += 1 }
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard let c = current, (48 ... 57).contains(c) else { throw fail("bad number") }
            while let c = current, (48 ... 57).contains(c) { i += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard let c = current, (48 ... 57).contains(c) else { throw fail("bad number") }
            while let c = current, (48 ... 57).contains(c) { i += 1 }
        }
        let text = String(decoding: bytes[start ..< i], as: UTF8.self)
        if integral, let v = Int64(text) { return .integer(v) }
        guard let d = Double(text), d.isFinite else { throw fail("number out of range") }
        return .number(d)
    }
}

/// Whether `bytes` are well-formed UTF-8 (The Unicode Standard, table 3-7): no overlong forms,
/// no surrogates, nothing above U+10FFFF, no truncated sequence.
func isWellFormedUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        let b0 = bytes[i]
        if b0 < 0x80 { i += 1; continue }
        func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80 ... 0xBF) -> Bool {
            i + k < n && range.contains(bytes[i + k])
        }
        switch b0 {
        case 0xC2 ... 0xDF:
            guard continuation(1) else { return false }
            i += 2
        case 0xE0:
            guard continuation(1, 0xA0 ... 0xBF), continuation(2) else { return false }
            i += 3
        case 0xE1 ... 0xEC, 0xEE ... 0xEF:
            guard continuation(1), continuation(2) else { return false }
            i += 3
        case 0xED:
            guard continuation(1, 0x80 ... 0x9F), continuation(2) else { return false }
            i += 3
        case 0xF0:
            guard continuation(1, 0x90 ... 0xBF), continuation(2), continuation(3) else { return false }
            i += 4
        case 0xF1 ... 0xF3:
            guard continuation(1), continuation(2), continuation(3) else { return false }
            i += 4
        case 0xF4:
            guard continuation(1, 0x80 ... 0x8F), continuation(2), continuation(3) else { return false }
            i += 4
        default:
            return false
        }
    }
    return true
}

extension JSONValue {
    /// Parses one JSON value.
    /// - Throws: an error naming the byte where the text stops being JSON.
    public init(parsing bytes: some Collection<UInt8>) throws {
        self = try Array(bytes).withUnsafeBytes { raw in try JSONParser.parse(raw) }
    }
}
