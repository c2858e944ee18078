import LedgerProofs
import Testing

/// What the checkpoint fuzzer found (seed 2026, within 500,000 iterations): an origin holding a
/// C1 control character (U+0080…U+009F, such as CSI, which drives some terminals) was accepted,
/// then echoed raw in the refusal "no signature … for origin …".
@Suite("Checkpoint origins: no control characters, and none echoed")
struct CheckpointOriginTests {
    static let root = "pcUm8rogaoNDp5it8DKMDSSoud5I0mwH5lI5ulonEv8="

    @Test("an origin with a C0 or C1 control character or DEL is refused as malformed, in one escaped line",
          arguments: ["\u{9B}", "\u{85}", "\u{80}", "\u{9F}", "\u{1B}", "\u{7F}"])
    func controlCharacterInOrigin(control: String) throws {
        let body = "bureau.exam\(control)ple/ledger\n21\n\(CheckpointOriginTests.root)\n"
        let failure = #expect(throws: ProofFailure.self) { try Checkpoint(body: body) }
        let line = try #require(failure).description
        #expect(line.hasPrefix("checkpoint is malformed: the origin line"), "\(line)")
        #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(line.debugDescription)")
    }

    @Test("a signed note under another origin is refused with that origin escaped on one line")
    func noSignatureNamesOriginEscaped() throws {
        let key = LogSigningKey()
        let origin = "bureau.example/ledger"
        let signed = try SignedCheckpoint(signing: Checkpoint(body: "\(origin)\n21\n\(CheckpointOriginTests.root)\n"), with: key)
        // The same note checked with another key: no signature by it.
        let failure = #expect(throws: ProofFailure.self) { try SignedCheckpoint(text: signed.text, publicKey: LogSigningKey().publicKey) }
        #expect(failure?.description == "checkpoint has no signature by the given public key for origin \(origin) (wrong key or wrong log)")
    }
}
