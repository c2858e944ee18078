import Foundation
import Ledger
import LedgerProofs
import TestSupport

/// A store holding `count` events spread over cases PRF-0…PRF-(cases-1), and the stored records.
func filledStore(_ label: String, count: Int, cases: Int = 7) async throws -> (TemporaryEventStore, [[UInt8]]) {
    let t = try TemporaryEventStore(label, durable: false)
    var n = 0
    while n < count {
        // Appends of 1–3 events, so that group and multi-event appends both extend the tree.
        let size = min(count - n, 1 + n % 3)
        let events = (n ..< n + size).map { LedgerFixture.event($0, id: LedgerFixture.id($0)) }
        _ = try await t.store.append(to: LedgerFixture.stream("PRF-\(n % cases)"), expected: .any, events: events)
        n += size
    }
    return (t, try records(of: t.store))
}

/// Every stored record, in seq order.
func records(of store: EventStore) throws -> [[UInt8]] {
    var out: [[UInt8]] = []
    try store.scan(from: 1) { view in out.append(Array(view.record)); return true }
    return out
}

/// An inclusion bundle of `caseNumber` against a checkpoint of the first `size` records, signed by `key`.
func inclusionBundle(_ store: EventStore, _ caseNumber: String, size: UInt64? = nil, key: LogSigningKey,
                     origin: String = "bureau.test/ledger") throws -> ProofBundle {
    var records: [ProvenRecord] = []
    let head = try store.forEachProvenEvent(of: LedgerFixture.stream(caseNumber), size: size) { view, path in
        records.append(ProvenRecord(seq: view.seq, version: view.version, record: Array(view.record), path: path, event: nil))
    }
    let signed = try SignedCheckpoint(signing: Checkpoint(origin: origin, size: head.size, root: head.root), with: key)
    return .inclusion(checkpoint: signed.text, caseNumber: caseNumber, records: records)
}
