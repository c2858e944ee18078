import Foundation
import Ledger
import Testing
import TestSupport

/// Appends events first..<first+count to cases PUB-0…PUB-3 with deterministic ids; the content
/// of event `alteredEvent` (only) is changed.
private func fill(_ store: EventStore, count: Int, first: Int = 0, alteredEvent: Int? = nil) async throws {
    for n in first ..< first + count {
        var event = LedgerFixture.event(n, id: LedgerFixture.id(n))
        if n == alteredEvent { event.payload[0] ^= 0xff }
        _ = try await store.append(to: LedgerFixture.stream("PUB-\(n % 4)"), expected: .any, events: [event])
    }
}

@Suite("Published digests")
struct PublishedDigestTests {
    @Test("a log checks against a digest published earlier, after more appends")
    func honestLogPasses() async throws {
        let a = try TemporaryEventStore("ledger-pub", durable: false)
        try await fill(a.store, count: 5)
        let published = try a.store.digest()
        #expect(published.seq == 5)
        try await fill(a.store, count: 3, first: 5)
        #expect(try a.store.digest().seq == 8)
        let report = try a.store.verify(against: published)
        #expect(report.checked == 8)
        // Also when the published point lies outside the verified range.
        #expect(try a.store.verify(from: 7, against: published).checked == 2)
        #expect(try a.store.verify(through: 3, against: published).checked == 3)
        // And via its text form, as an auditor would paste it.
        let pasted: ChainDigest? = ChainDigest(published.description)
        #expect(pasted == published)
        if let pasted { #expect(try a.store.verify(against: pasted).checked == 8) }
    }

    @Test("a rewritten history fails against the published digest even though its own chain is consistent")
    func rewrittenHistoryFails() async throws {
        let a = try TemporaryEventStore("ledger-pub-a", durable: false)
        let b = try TemporaryEventStore("ledger-pub-b", durable: false)
        let n: UInt64 = 6
        try await fill(a.store, count: Int(n))
        // B: the same events, same ids, except event 2's content.
        try await fill(b.store, count: Int(n), alteredEvent: 2)
        let published = try a.store.digest()
        let rewritten = try b.store.digest()
        #expect(published.seq == n)
        #expect(rewritten.seq == n)
        #expect(rewritten.hash != published.hash)

        // Both chains are consistent on their own …
        #expect(try a.store.verify().checked == n)
        #expect(try b.store.verify().checked == n)
        // … but only A still matches what was published.
        #expect(try a.store.verify(against: published).checked == n)
        let failure = #expect(throws: VerificationFailure.self) { try b.store.verify(against: published) }
        #expect(failure?.seq == n)
        #expect(failure?.kind == .digestMismatch(expected: published.hash, found: rewritten.hash))
        #expect(failure?.description.contains("rewritten") == true)

        // Checking only a range that excludes the published seq still checks the published point.
        let outside = #expect(throws: VerificationFailure.self) { try b.store.verify(through: 2, against: published) }
        #expect(outside?.seq == n)
        if case .digestMismatch? = outside?.kind {} else {
            Issue.record("expected digestMismatch, got \(String(describing: outside?.kind))")
        }

        // Appending more to B does not hide the rewrite.
        try await fill(b.store, count: 2, first: Int(n))
        let later = #expect(throws: VerificationFailure.self) { try b.store.verify(against: published) }
        #expect(later?.seq == n)
    }

    @Test("a digest beyond the log's head fails as truncated")
    func truncatedHistoryFails() async throws {
        let a = try TemporaryEventStore("ledger-pub", durable: false)
        try await fill(a.store, count: 4)
        let head = try a.store.digest()
        let beyond = ChainDigest(seq: head.seq + 3, hash: head.hash)
        let failure = #expect(throws: VerificationFailure.self) { try a.store.verify(against: beyond) }
        #expect(failure?.seq == head.seq + 3)
        #expect(failure?.kind == .truncated(head: head.seq))
        #expect(failure?.description.contains("truncated") == true)
    }
}
