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
}
