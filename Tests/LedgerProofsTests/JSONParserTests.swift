import LedgerProofs
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test("values of every kind")
    func kinds() throws {
        #expect(try parse(" null ") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("-12") == .integer(-12))
        #expect(try parse("0") == .integer(0))
        #expect(try parse("2.5e2") == .number(250))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try parse(#"["a", 1, {"b": []}]"#) == .array([.string("a"), .integer(1), .object(["b": .array([])])]))
        #expect(try parse(#"{"k": {"n": null}}"#) == .object(["k": .object(["n": .null])]))
    }

    @Test("string escapes, Chinese text and surrogate pairs")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{8}\u{c}"))
        #expect(try parse(#""梁子湖区行政审批局""#) == .string("梁子湖区行政审批局"))
        #expect(try parse(#""\u6881\u5b50""#) == .string("梁子"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test("malformed text is refused", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "tru", "01", "1.", "-", "1e", "\"unterminated",
        "\"bad \\x escape\"", "\"\\ud83d alone\"", "\"\\ude00\"", "{\"a\":1}{}", "{a:1}", "\"tab\tinside\"",
        "{\"a\":1,\"a\":2}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func refused(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: (any Error).self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    /// A string's bytes are accepted exactly when the standard library's validation accepts them.
    private func agreesOnUTF8(_ bytes: [UInt8], escaped: Bool) -> Bool {
        let document = [0x22] + (escaped ? Array(#"\n"#.utf8) : []) + bytes + [0x22]
        let parsed = try? JSONValue(parsing: document)
        guard let expected = String(validating: bytes, as: UTF8.self) else { return parsed == nil }
        return parsed == .string((escaped ? "\n" : "") + expected)
    }

    @Test("UTF-8 is accepted exactly as the standard library accepts it, with and without escapes")
    func utf8AgreesWithStandardLibrary() throws {
        // Not a quote, a backslash or a control character: those end or escape a string first.
        let free = (0x20 ... 0xFF).map(UInt8.init).filter { $0 != 0x22 && $0 != 0x5C }
        var disagreements: [[UInt8]] = []
        for a in free {
            if !agreesOnUTF8([a], escaped: false) { disagreements.append([a]) }
            for b in free where !agreesOnUTF8([a, b], escaped: a & 1 == 0) { disagreements.append([a, b]) }
        }
        let edges: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for lead in UInt8(0xC0) ... 0xFF {
            for b in edges {
                for c in edges {
                    if !agreesOnUTF8([lead, b, c], escaped: false) { disagreements.append([lead, b, c]) }
                    for d in edges where !agreesOnUTF8([lead, b, c, d], escaped: d == 0x80) { disagreements.append([lead, b, c, d]) }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        #expect(try parse("\"梁子湖 ok 😀\"") == .string("梁子湖 ok 😀"))
    }
}
