import Foundation
import Ledger
import LedgerProofs
import Testing
import TestSupport

/// Decodes, changes and re-encodes a bundle (the tamperer's view).
private func altered(_ bundle: ProofBundle, _ change: (inout String, inout String, inout [ProvenRecord]) -> Void) -> ProofBundle {
    guard case .inclusion(var checkpoint, var caseNumber, var records) = bundle else { return bundle }
    change(&checkpoint, &caseNumber, &records)
    return .inclusion(checkpoint: checkpoint, caseNumber: caseNumber, records: records)
}

private func flip(_ bytes: inout [UInt8], at i: Int) { bytes[i] ^= 0x01 }

private func flipped(_ hash: TreeHash) -> TreeHash {
    var bytes = hash.bytes
    bytes[5] ^= 0x40
    return TreeHash(bytes)!
}

@Suite("Proof bundles, checked without the store")
struct BundleCheckTests {
    let key = LogSigningKey()

    @Test("an honest bundle checks, also after a JSON round trip, and names the case's records in order")
    func honestBundleChecks() async throws {
        let (t, _) = try await filledStore("ledger-bundle-ok", count: 40)
        let bundle = try inclusionBundle(t.store, "PRF-3", key: key)
        let roundTripped = try ProofBundle(json: bundle.json)
        #expect(roundTripped == bundle)
        guard case let .inclusion(checkpoint, caseNumber, records) = try BundleCheck.check(roundTripped, publicKey: key.publicKey) else {
            Issue.record("not an inclusion bundle")
            return
        }
        #expect(caseNumber == "PRF-3")
        #expect(checkpoint.size == 40)
        #expect(records.map(\.version) == Array(0 ..< UInt32(records.count)))
        let stored = try t.store.events(of: LedgerFixture.stream("PRF-3"))
        #expect(records.map(\.seq) == stored.map(\.seq))
    }

    @Test("a flipped byte anywhere in a record fails the check, naming its seq")
    func flippedRecordByteFails() async throws {
        let (t, _) = try await filledStore("ledger-bundle-record", count: 30)
        let bundle = try inclusionBundle(t.store, "PRF-1", key: key)
        guard case let .inclusion(_, _, records) = bundle else { return }
        for offset in stride(from: 0, to: records[1].record.count, by: 7) {
            let bad = altered(bundle) { _, _, records in flip(&records[1].record, at: offset) }
            #expect(throws: ProofFailure.self) { try BundleCheck.check(bad, publicKey: key.publicKey) }
        }
        let bad = altered(bundle) { _, _, records in flip(&records[1].record, at: records[1].record.count - 1) }
        #expect(throws: ProofFailure.notIncluded(seq: records[1].seq)) { try BundleCheck.check(bad, publicKey: key.publicKey) }
    }

    @Test("a flipped path hash fails the check")
    func flippedPathHashFails() async throws {
        let (t, _) = try await filledStore("ledger-bundle-path", count: 50)
        let bundle = try inclusionBundle(t.store, "PRF-2", key: key)
        guard case let .inclusion(_, _, records) = bundle else { return }
        for r in records.indices {
            for i in records[r].path.indices {
                let bad = altered(bundle) { _, _, records in records[r].path[i] = flipped(records[r].path[i]) }
                #expect(throws: ProofFailure.notIncluded(seq: records[r].seq)) { try BundleCheck.check(bad, publicKey: key.publicKey) }
            }
        }
    }

    @Test("a changed root, size or origin breaks the signature; a flipped signature byte too")
    func checkpointTamperingFails() async throws {
        let (t, _) = try await filledStore("ledger-bundle-cp", count: 20)
        let bundle = try inclusionBundle(t.store, "PRF-0", key: key)
        guard case let .inclusion(text, _, _) = bundle else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The root line, re-encoded with one bit flipped.
        let root = flipped(TreeHash(base64: lines[2])!)
        let newRoot = altered(bundle) { cp, _, _ in cp = cp.replacingOccurrences(of: lines[2], with: root.base64) }
        #expect(throws: ProofFailure.badSignature) { try BundleCheck.check(newRoot, publicKey: key.publicKey) }
        let newSize = altered(bundle) { cp, _, _ in cp = cp.replacingOccurrences(of: "\n20\n", with: "\n21\n") }
        #expect(throws: ProofFailure.badSignature) { try BundleCheck.check(newSize, publicKey: key.publicKey) }
        // The signature: flip one bit of the Ed25519 signature inside the base64 blob.
        let signatureLine = lines[4]
        let blobText = String(signatureLine.split(separator: " ").last!)
        var blob = Base64.decode(blobText)!
        flip(&blob, at: 40)
        let badSignature = altered(bundle) { cp, _, _ in cp = cp.replacingOccurrences(of: blobText, with: Base64.encode(blob)) }
        #expect(throws: ProofFailure.badSignature) { try BundleCheck.check(badSignature, publicKey: key.publicKey) }
        // Another key, or another origin, finds no signature of its own.
        #expect(throws: ProofFailure.noSignatureByKey(origin: "bureau.test/ledger")) {
            try BundleCheck.check(bundle, publicKey: LogSigningKey().publicKey)
        }
    }

    @Test("a dropped, repeated or foreign record fails on order, version or case")
    func recordListTamperingFails() async throws {
        let (t, _) = try await filledStore("ledger-bundle-list", count: 60)
        let bundle = try inclusionBundle(t.store, "PRF-4", key: key)
        guard case let .inclusion(_, _, records) = bundle, records.count >= 3 else { Issue.record("too few records"); return }
        let dropped = altered(bundle) { _, _, records in records.remove(at: 1) }
        #expect(throws: ProofFailure.wrongVersion(seq: records[2].seq, expected: 1, found: 2)) {
            try BundleCheck.check(dropped, publicKey: key.publicKey)
        }
        let swapped = altered(bundle) { _, _, records in records.swapAt(0, 1) }
        #expect(throws: ProofFailure.wrongVersion(seq: records[1].seq, expected: 0, found: 1)) {
            try BundleCheck.check(swapped, publicKey: key.publicKey)
        }
        let repeated = altered(bundle) { _, _, records in records.insert(records[0], at: 1) }
        #expect(throws: ProofFailure.outOfOrder(seq: records[0].seq)) { try BundleCheck.check(repeated, publicKey: key.publicKey) }
        let otherCase = altered(bundle) { _, caseNumber, _ in caseNumber = "PRF-5" }
        #expect(throws: ProofFailure.wrongCase(seq: records[0].seq, found: "PRF-4")) {
            try BundleCheck.check(otherCase, publicKey: key.publicKey)
        }
        let empty = altered(bundle) { _, _, records in records.removeAll() }
        #expect(throws: ProofFailure.self) { try BundleCheck.check(empty, publicKey: key.publicKey) }
    }

    @Test("a bundle proven against an old checkpoint still checks after the log grows, and the new log is consistent with it")
    func oldCheckpointAfterGrowth() async throws {
        let (t, _) = try await filledStore("ledger-bundle-grow", count: 33)
        let old = try inclusionBundle(t.store, "PRF-6", key: key)
        let oldHead = try t.store.treeHead()
        for n in 33 ..< 100 {
            _ = try await t.store.append(to: LedgerFixture.stream("PRF-\(n % 7)"), expected: .any,
                                         events: [LedgerFixture.event(n, id: LedgerFixture.id(n))])
        }
        _ = try BundleCheck.check(try ProofBundle(json: old.json), publicKey: key.publicKey)
        // Proven again against the old size, after the growth: the same bundle.
        #expect(try inclusionBundle(t.store, "PRF-6", size: 33, key: key) == old)

        let newHead = try t.store.treeHead()
        let proof = try t.store.consistencyProof(from: oldHead.size).proof
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: "bureau.test/ledger", size: newHead.size, root: newHead.root), with: key)
        let consistency = ProofBundle.consistency(oldSize: oldHead.size, oldRoot: oldHead.root, checkpoint: signed.text, proof: proof)
        let checked = try BundleCheck.check(try ProofBundle(json: consistency.json), publicKey: key.publicKey)
        #expect(checked == .consistency(old: (oldHead.size, oldHead.root), checkpoint: signed.checkpoint))
        let badProof = ProofBundle.consistency(oldSize: oldHead.size, oldRoot: oldHead.root, checkpoint: signed.text,
                                               proof: proof.map { $0 == proof[0] ? flipped($0) : $0 })
        #expect(throws: ProofFailure.inconsistent(oldSize: 33, newSize: 100)) { try BundleCheck.check(badProof, publicKey: key.publicKey) }
    }

    @Test("a log rewritten before the old checkpoint cannot prove it extends that checkpoint")
    func rewrittenLogIsInconsistent() async throws {
        let (honest, _) = try await filledStore("ledger-bundle-honest", count: 20)
        let oldHead = try honest.store.treeHead()
        // Another log with the same sizes but event 5 changed, grown further.
        let rewritten = try TemporaryEventStore("ledger-bundle-rewritten", durable: false)
        for n in 0 ..< 40 {
            var event = LedgerFixture.event(n, id: LedgerFixture.id(n))
            if n == 5 { event.payload[0] ^= 0xff }
            _ = try await rewritten.store.append(to: LedgerFixture.stream("PRF-\(n % 7)"), expected: .any, events: [event])
        }
        let newHead = try rewritten.store.treeHead()
        let proof = try rewritten.store.consistencyProof(from: oldHead.size).proof
        #expect(!TreeVerifier.consistent(oldSize: oldHead.size, oldRoot: oldHead.root, newSize: newHead.size, newRoot: newHead.root, proof: proof))
    }

    @Test("malformed documents, keys and checkpoints are refused with a reason")
    func malformedInputs() throws {
        #expect(throws: ProofFailure.self) { try ProofBundle(json: Array("{}".utf8)) }
        #expect(throws: ProofFailure.self) { try ProofBundle(json: Array("not json".utf8)) }
        #expect(throws: ProofFailure.self) { try LogPublicKey(fileText: "ed25519:AAAA\n") }
        #expect(throws: ProofFailure.self) { try LogSigningKey(fileText: key.publicKey.fileText) }
        #expect(try LogPublicKey(fileText: key.publicKey.fileText) == key.publicKey)
        #expect(try LogSigningKey(fileText: key.fileText).publicKey == key.publicKey)
        #expect(throws: ProofFailure.self) { try Checkpoint(body: "origin\n12\nnot base64\n") }
        #expect(throws: ProofFailure.self) { try Checkpoint(body: "has space\n12\n\(TreeHash.empty.base64)\n") }
        #expect(throws: ProofFailure.self) { try SignedCheckpoint(text: "a\n1\n\(TreeHash.empty.base64)\n", publicKey: key.publicKey) }
    }

    @Test("checkpoints are C2SP signed notes: em-dash signature line with the key id of name, 0x01 and key")
    func checkpointFormat() throws {
        let head = TreeHead(size: 12, root: TreeHash.empty)
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: "bureau.test/ledger", size: head.size, root: head.root), with: key)
        let lines = signed.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(Array(lines.prefix(4)) == ["bureau.test/ledger", "12", Substring(TreeHash.empty.base64), ""])
        #expect(lines[4].hasPrefix("\u{2014} bureau.test/ledger "))
        let blob = Base64.decode(String(lines[4].split(separator: " ").last!))!
        #expect(blob.count == 68)
        var idInput = Array("bureau.test/ledger".utf8) + [0x0A, 0x01]
        idInput += key.publicKey.raw
        #expect(Array(blob.prefix(4)) == Array(ReferenceTree.sha(idInput).prefix(4)))
        #expect(key.publicKey.key.isValidSignature(blob.dropFirst(4), for: Array("bureau.test/ledger\n12\n\(TreeHash.empty.base64)\n".utf8)))
        #expect(try SignedCheckpoint(text: signed.text, publicKey: key.publicKey) == signed)
    }
}
