/// A JSON document checked by `JSONParser`'s rules and kept as where each value lies in the
/// bytes, not as a `JSONValue`. A proof bundle is read for a few of its fields (the records'
/// base64, the path hashes); building dictionaries and strings for all of it, the decoded events
/// included, was most of the time it took to read one. It accepts exactly the documents
/// `JSONParser.parse` accepts and refuses the others with the same failure.
struct JSONTape {
    enum Kind { case null, bool, integer, number, string, array, object }

    /// One value. An object's entry is followed by its members (a key's entry, then its value's
    /// entries), an array's by its elements.
    struct Entry {
        var kind: Kind
        /// A string's text between its quotes (a key's too).
        var start = 0, end = 0
        /// The entry after this value and all it holds.
        var next = 0
        /// A string with escapes: its text must be decoded to be read.
        var escaped = false
        /// An integer's value; for a key, its index in `keys`.
        var integer: Int64 = 0
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var entries: [Entry] = []
    /// Every object key, decoded, in document order.
    private(set) var keys: [String] = []
    private var parser: JSONParser

    /// Reads exactly one JSON value (surrounding whitespace allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) -> JSONTape {
        var tape = JSONTape(bytes: bytes)
        tape.entries.reserveCapacity(bytes.count / 24)
        tape.parser.skipWhitespace()
        try tape.value()
        tape.parser.skipWhitespace()
        guard tape.parser.i == bytes.count else { throw tape.parser.fail("unexpected text after the value") }
        return tape
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        parser = JSONParser(bytes: bytes)
    }

    // MARK: Reading

    /// The value of `key` in the object at `object`, if it has one.
    func member(_ object: Int, _ key: String) -> Int? {
        var at = object + 1
        while at < entries[object].next {
            if keys[Int(entries[at].integer)] == key { return at + 1 }
            at = entries[at + 1].next
        }
        return nil
    }

    /// The entries of the elements of the array at `array`.
    func elements(_ array: Int) -> [Int] {
        var out: [Int] = []
        var at = array + 1
        while at < entries[array].next {
            out.append(at)
            at = entries[at].next
        }
        return out
    }

    /// The text of the string at `string`.
    func string(_ string: Int) -> String {
        let entry = entries[string]
        guard entry.escaped else { return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[entry.start ..< entry.end]), as: UTF8.self) }
        var reader = JSONParser(bytes: bytes)
        reader.i = entry.start - 1
        // Decoded once already, when the document was read.
        return (try? reader.string()) ?? ""
    }

    /// Calls `body` with the UTF-8 of the string at `string` (its bytes in the document when it has no escapes).
    func withUTF8<R>(_ string: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let entry = entries[string]
        guard entry.escaped else { return body(UnsafeRawBufferPointer(rebasing: bytes[entry.start ..< entry.end])) }
        var text = self.string(string)
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    // MARK: Parsing, as JSONParser does

    private mutating func value() throws(JSONParser.Failure) {
        guard let c = parser.current else { throw parser.fail("unexpected end") }
        switch c {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try parser.literal("true"); leaf(.bool, integer: 1)
        case UInt8(ascii: "f"): try parser.literal("false"); leaf(.bool, integer: 0)
        case UInt8(ascii: "n"): try parser.literal("null"); leaf(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            if case .integer(let n) = try parser.number() { leaf(.integer, integer: n) } else { leaf(.number) }
        default: throw parser.fail("unexpected character")
        }
    }

    private mutating func leaf(_ kind: Kind, integer: Int64 = 0) {
        entries.append(Entry(kind: kind, next: entries.count + 1, integer: integer))
    }

    private mutating func object() throws(JSONParser.Failure) {
        try parser.nest()
        defer { parser.depth -= 1 }
        let at = entries.count
        entries.append(Entry(kind: .object))
        defer { entries[at].next = entries.count }
        if parser.opensEmpty(closedBy: UInt8(ascii: "}")) { return }
        // This object's keys so far; past a few, repeats are found in a set rather than by
        // comparing with each.
        var own: [String] = []
        var seen: Set<String>?
        repeat {
            try parser.expectKey()
            let keyAt = entries.count
            try string()
            let key = self.string(keyAt)
            entries[keyAt].integer = Int64(keys.count)
            keys.append(key)
            try parser.expectColon()
            try value()
            let repeated: Bool
            if var set = seen {
                repeated = !set.insert(key).inserted
                seen = set
            } else {
                repeated = own.contains(key)
                own.append(key)
                if own.count >= 16 { seen = Set(own) }
            }
            guard !repeated else { throw parser.fail("key \"\(shown(key, 60))\" appears twice") }
        } while try parser.continues(closedBy: UInt8(ascii: "}"))
    }

    private mutating func array() throws(JSONParser.Failure) {
        try parser.nest()
        defer { parser.depth -= 1 }
        let at = entries.count
        entries.append(Entry(kind: .array))
        defer { entries[at].next = entries.count }
        if parser.opensEmpty(closedBy: UInt8(ascii: "]")) { return }
        repeat {
            parser.skipWhitespace()
            try value()
        } while try parser.continues(closedBy: UInt8(ascii: "]"))
    }

    /// The string whose opening quote is at the parser's offset, checked as `JSONParser.string`
    /// checks it (the same failures at the same offsets), kept as its place in the bytes.
    private mutating func string() throws(JSONParser.Failure) {
        let quote = parser.i
        let start = quote + 1
        // Most of a bundle is the text of strings (base64): scanned in a tight loop.
        var high: UInt8 = 0
        var j = start
        if let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            let count = bytes.count
            while j < count {
                let c = base[j]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                high |= c
                j += 1
            }
        }
        parser.i = j
        guard let end = parser.current else { throw parser.fail("unterminated string") }
        guard end >= 0x20 else { throw parser.fail("control character in a string") }
        if end == UInt8(ascii: "\"") {
            parser.i += 1
            if high >= 0x80, !isWellFormedUTF8(UnsafeRawBufferPointer(rebasing: bytes[start ..< parser.i - 1])) {
                throw parser.fail("invalid UTF-8")
            }
            entries.append(Entry(kind: .string, start: start, end: parser.i - 1, next: entries.count + 1))
            return
        }
        // Escapes: the parser decodes it, with its failures; it is decoded again if it is read.
        parser.i = quote
        _ = try parser.string()
        entries.append(Entry(kind: .string, start: start, end: parser.i - 1, next: entries.count + 1, escaped: true))
    }
}
