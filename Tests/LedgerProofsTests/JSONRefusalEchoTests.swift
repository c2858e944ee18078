import LedgerProofs
import Testing

/// What the bundle fuzzer found (seed 2026, within 1,700,000 iterations, once bundles were read
/// with the one-pass parser): a key written twice was echoed with the newline its `\n` escape
/// stands for, so the refusal was two lines.
@Suite("JSON refusals echo input escaped, on one line")
struct JSONRefusalEchoTests {
    @Test("a repeated key holding a newline or ESC is named escaped")
    func repeatedKeyEscaped() throws {
        for key in [#"k\nd"#, #"k\u001bd"#, #"k\u009bd"#] {
            let text = "{\"\(key)\": 1, \"\(key)\": 2}"
            let failure = #expect(throws: (any Error).self) { try JSONValue(parsing: Array(text.utf8)) }
            let line = "\(try #require(failure))"
            #expect(line.contains("appears twice"), "\(line)")
            #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(line.debugDescription)")
        }
    }

    @Test("a bundle document with such a key is refused in one line")
    func bundleRefusalOneLine() {
        let document = #"{"format":"ledger-proof-bundle/1","k\nd":1,"k\nd":2}"#
        let failure = #expect(throws: ProofFailure.self) { try ProofBundle(json: Array(document.utf8)) }
        #expect(failure.map { !$0.description.unicodeScalars.contains { $0.properties.generalCategory == .control } } == true,
                "\(String(describing: failure).debugDescription)")
    }
}
