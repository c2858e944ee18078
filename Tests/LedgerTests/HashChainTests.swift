import Foundation
import Ledger
import LMDB
import Testing
import TestSupport

/// Builds a store with `count` single-event appends spread over 3 cases, then releases it.
private func buildStore(at path: String, count: Int) async throws {
    let store = try EventStore(directory: path, codec: OpaqueTestCodec())
    for n in 0 ..< count {
        _ = try await store.append(to: LedgerFixture.stream("CHAIN-\(n % 3)"), expected: .any,
                                   events: [LedgerFixture.event(n)])
    }
}

@Suite("Hash chain: digest and verify")
struct HashChainTests {
    @Test("an empty store's digest is seq 0 with the genesis hash, and it verifies")
    func emptyStore() throws {
        let temporary = try TemporaryEventStore("ledger-chain", durable: false)
        let digest = try temporary.store.digest()
        #expect(digest == ChainDigest(seq: 0, hash: .genesis))
        #expect(ChainHash.genesis.bytes == [UInt8](repeating: 0, count: 32))
        let report = try temporary.store.verify()
        #expect(report.checked == 0)
        #expect(report.hash == .genesis)
    }

    @Test("each record links to the one before: hash(n) = SHA-256(hash(n-1) ‖ stored bytes of n)")
    func chainLinks() async throws {
        let temporary = try TemporaryEventStore("ledger-chain", durable: false)
        let store = temporary.store
        for n in 0 ..< 10 {
            _ = try await store.append(to: LedgerFixture.stream("LINK-\(n % 2)"), expected: .any,
                                       events: LedgerFixture.events(1 + n % 3, first: 10 * n))
        }
        var previous = ChainHash.genesis
        var checked = 0
        try store.scan(from: 1) { view in
            #expect(view.previousHash == previous, "seq \(view.seq)")
            let recomputed = previous.linking(view.body)
            #expect(recomputed == view.hash, "seq \(view.seq)")
            // The body the chain hashes is the whole record but its two trailing hashes.
            #expect(view.body.count == view.record.count - 64)
            previous = view.hash
            checked += 1
            return true
        }
        let digest = try store.digest()
        #expect(digest.seq == UInt64(checked))
        #expect(digest.hash == previous)
        #expect(try store.events(from: digest.seq, limit: 1).first?.hash == digest.hash)
    }

    @Test("digest() is the last record's seq and hash, and round-trips through its text form")
    func digestIsHead() async throws {
        let temporary = try TemporaryEventStore("ledger-chain", durable: false)
        let store = temporary.store
        _ = try await store.append(to: LedgerFixture.stream("HEAD-1"), expected: .noStream, events: LedgerFixture.events(3))
        let digest = try store.digest()
        let last = try #require(try store.events(from: 1).last)
        #expect(digest == ChainDigest(seq: last.seq, hash: last.hash))
        #expect(ChainDigest(digest.description) == digest)
        #expect(digest.description.hasPrefix("3:"))
        #expect(ChainHash(hex: digest.hash.hex) == digest.hash)
        #expect(ChainDigest("3:xyz") == nil)
        #expect(ChainDigest("abc") == nil)
    }

    @Test("verify() checks an intact log from 1; verify(from:through:) checks a range")
    func verifyIntact() async throws {
        let directory = TemporaryDirectory("ledger-chain")
        try await buildStore(at: directory.path, count: 12)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let report = try store.verify()
        #expect(report.first == 1)
        #expect(report.last == 12)
        #expect(report.checked == 12)
        #expect(report.digest == (try store.digest()))

        let range = try store.verify(from: 4, through: 9)
        #expect((range.first, range.last, range.checked) == (4, 9, 6))
        #expect(range.hash == (try store.events(from: 9, limit: 1)).first?.hash)

        let tail = try store.verify(from: 10)
        #expect((tail.first, tail.last, tail.checked) == (10, 12, 3))
        // `through` beyond the head is clamped to the head.
        #expect(try store.verify(through: 100).last == 12)

        var calls: [(UInt64, UInt64)] = []
        _ = try store.verify { done, total in calls.append((done, total)) }
        #expect(calls.last.map { [$0.0, $0.1] } == [12, 12])
    }

    enum Tamper: String, CaseIterable, Sendable {
        case payloadByte, storedHashByte, previousHashByte, timeByte, caseByte
    }

    @Test("changing one stored byte is detected at that record's seq", arguments: Tamper.allCases)
    func tamperDetected(_ tamper: Tamper) async throws {
        let directory = TemporaryDirectory("ledger-tamper")
        try await buildStore(at: directory.path, count: 10)
        let target: UInt64 = 6
        do {
            let raw = try RawLedger(path: directory.path)
            try raw.alterRecord(target) { bytes in
                switch tamper {
                case .payloadByte: bytes[bytes.count - 64 - 1] ^= 0x01 // last payload byte
                case .storedHashByte: bytes[bytes.count - 1] ^= 0x80
                case .previousHashByte: bytes[bytes.count - 64] ^= 0x10
                case .timeByte: bytes[8] ^= 0x01
                case .caseByte: bytes[33] ^= 0x01 // first byte of the case number
                }
            }
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == target)
        let expectedKind: VerificationFailure.Kind = tamper == .previousHashByte ? .brokenLink : .hashMismatch
        #expect(failure?.kind == expectedKind)
        #expect(failure?.description.contains("seq \(target)") == true)

        // The records before it still verify.
        #expect(try store.verify(through: target - 1).checked == target - 1)
        // Verifying a range that starts after it trusts the stored hash of `target`: a changed
        // body goes unnoticed there, a changed stored hash breaks the next link.
        switch tamper {
        case .storedHashByte:
            let next = #expect(throws: VerificationFailure.self) { try store.verify(from: target + 1) }
            #expect(next?.seq == target + 1)
            #expect(next?.kind == .brokenLink)
        default:
            #expect(try store.verify(from: target + 1).checked == 10 - target)
        }
    }

    @Test("a missing record is reported as a gap at its seq")
    func gapDetected() async throws {
        let directory = TemporaryDirectory("ledger-tamper")
        try await buildStore(at: directory.path, count: 8)
        do {
            let raw = try RawLedger(path: directory.path)
            let deleted = try raw.environment.write { txn in try txn.delete(raw.log, UInt64(5)) }
            #expect(deleted)
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == 5)
        #expect(failure?.kind == .gap)
    }

    @Test("an unreadable record is reported at its seq")
    func unreadableDetected() async throws {
        let directory = TemporaryDirectory("ledger-tamper")
        try await buildStore(at: directory.path, count: 4)
        do {
            let raw = try RawLedger(path: directory.path)
            try raw.alterRecord(3) { bytes in bytes[0] = 99 } // unknown record format
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == 3)
        if case .unreadable? = failure?.kind {} else {
            Issue.record("expected unreadable, got \(String(describing: failure?.kind))")
        }
    }
}
