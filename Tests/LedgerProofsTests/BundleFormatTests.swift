import LedgerProofs
import Testing

/// The bundle document's bytes are a published format (`Docs/PROOFS.md`, `Docs/verify_bundle.py`):
/// the writer's layout, escaping and base64 stay exactly these.
@Suite("The bundle document, byte for byte")
struct BundleFormatTests {
    @Test("an inclusion bundle: two-space indentation, one field a line, hashes on one line, escaped checkpoint")
    func inclusion() {
        let first = TreeHash((0 ..< 32).map { UInt8($0) })!
        let second = TreeHash((0 ..< 32).map { UInt8(255 - $0) })!
        let bundle = ProofBundle.inclusion(checkpoint: "o/l\n2\nroot=\n\n\u{2014} o/l sig\"\\\u{1}\n", caseNumber: "PRF-1", records: [
            ProvenRecord(seq: 2, version: 0, record: [0, 1, 2, 250], path: [first, second], event: Array(#"{"a": 1}"#.utf8)),
            ProvenRecord(seq: 9, version: 1, record: [], path: [], event: nil),
        ])
        let expected = """
        {
          "format": "ledger-proof-bundle/1",
          "kind": "inclusion",
          "checkpoint": "o/l\\n2\\nroot=\\n\\n\u{2014} o/l sig\\"\\\\\\u0001\\n",
          "case": "PRF-1",
          "records": [
            {
              "seq": 2,
              "leafIndex": 1,
              "version": 0,
              "record": "AAEC+g==",
              "event": {"a": 1},
              "path": ["AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA="]
            },
            {
              "seq": 9,
              "leafIndex": 8,
              "version": 1,
              "record": "",
              "path": []
            }
          ]
        }

        """
        #expect(String(decoding: bundle.json, as: UTF8.self) == expected)
    }

    @Test("a consistency bundle")
    func consistency() {
        let root = TreeHash((0 ..< 32).map { UInt8($0 * 3) })!
        let bundle = ProofBundle.consistency(oldSize: 5, oldRoot: root, checkpoint: "c\n", proof: [root])
        let expected = """
        {
          "format": "ledger-proof-bundle/1",
          "kind": "consistency",
          "old": "5:\(root.hex)",
          "checkpoint": "c\\n",
          "proof": ["\(root.base64)"]
        }

        """
        #expect(String(decoding: bundle.json, as: UTF8.self) == expected)
    }
}
