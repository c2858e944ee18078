import Foundation
import Ledger
import LedgerProofs
import Testing
import TestSupport

/// A bundle document is read without building a `JSONValue` of it; it must still accept exactly
/// the strict JSON the parser accepts, refuse the rest with the parser's failure, and read the
/// values the parser reads.
@Suite("Reading a bundle document")
struct BundleReaderTests {
    /// A bundle whose records show decoded events with nested values, escapes and Chinese text.
    private func document(_ label: String) async throws -> [UInt8] {
        let (t, _) = try await filledStore(label, count: 30)
        guard case .inclusion(let checkpoint, let caseNumber, var records) = try inclusionBundle(t.store, "PRF-2", key: LogSigningKey()) else {
            throw CancellationError()
        }
        let event = #"{"id": "x\u00e9\n", "data": {"名称": "梁子湖区", "n": [1, -2.5e3, true, false, null, {}], "k": "\"q\"\/"}}"#
        for i in records.indices { records[i].event = Array(event.utf8) }
        return ProofBundle.inclusion(checkpoint: checkpoint, caseNumber: caseNumber, records: records).json
    }

    /// What the JSON parser reads of each record: its base64 text and its path's texts.
    private func parsedRecords(_ document: [UInt8]) throws -> [(record: String, path: [String])] {
        guard case .object(let top) = try JSONValue(parsing: document), case .array(let records)? = top["records"] else { return [] }
        return records.map { value in
            guard case .object(let fields) = value, case .string(let record)? = fields["record"], case .array(let path)? = fields["path"] else {
                return ("", [])
            }
            return (record, path.map { if case .string(let text) = $0 { text } else { "" } })
        }
    }

    @Test("a bundle with decoded events reads back as written")
    func readsBack() async throws {
        let json = try await document("ledger-bundle-reader-ok")
        let bundle = try ProofBundle(json: json)
        #expect(bundle.json.count < json.count, "the events are not read back")
        guard case .inclusion(_, "PRF-2", let records) = bundle else {
            Issue.record("not PRF-2's inclusion bundle")
            return
        }
        let parsed = try parsedRecords(json)
        #expect(records.map { Base64.encode($0.record) } == parsed.map(\.record))
        #expect(records.map { $0.path.map(\.base64) } == parsed.map(\.path))
    }

    @Test("a mutated document is refused as malformed exactly when the JSON parser refuses it, with its failure")
    func agreesWithTheParser() async throws {
        let original = try await document("ledger-bundle-reader-mutated")
        let specials: [UInt8] = Array(#""\{}[],:0-eEu. "#.utf8) + [0xC3, 0xA9, 0xE6, 0xFF, 0x00, 0x0A]
        var rng = SystemRandomNumberGenerator()
        var refusedAsJSON = 0, read = 0
        for round in 0 ..< 3_000 {
            var json = original
            for _ in 0 ... round % 3 {
                let at = Int.random(in: 0 ..< json.count, using: &rng)
                switch Int.random(in: 0 ..< 4, using: &rng) {
                case 0: json[at] ^= 1 << UInt8.random(in: 0 ..< 8, using: &rng)
                case 1: json[at] = specials.randomElement(using: &rng)!
                case 2: json.remove(at: at)
                default: json.insert(specials.randomElement(using: &rng)!, at: at)
                }
            }
            let parserFailure: String?
            do { _ = try JSONValue(parsing: json); parserFailure = nil } catch { parserFailure = "\(error)" }
            do {
                let bundle = try ProofBundle(json: json)
                read += 1
                #expect(parserFailure == nil, "read a document the parser refuses: \(parserFailure ?? "")")
                guard case .inclusion(_, _, let records) = bundle else { continue }
                let parsed = try parsedRecords(json)
                #expect(records.map { Base64.encode($0.record) } == parsed.map(\.record))
                #expect(records.map { $0.path.map(\.base64) } == parsed.map(\.path))
            } catch {
                if let parserFailure {
                    refusedAsJSON += 1
                    #expect(error as? ProofFailure == .malformedBundle("not a bundle document (malformed JSON: \(parserFailure))"))
                } else {
                    #expect(!"\(error)".contains("malformed JSON"), "\(error)")
                }
            }
        }
        #expect(refusedAsJSON > 100 && read > 10, "\(refusedAsJSON) refused as JSON, \(read) read")
    }
}
