import Foundation
import LMDB
@testable import Ledger
import LedgerProofs
import Testing
import TestSupport

/// `verify` over a range cut into segments, one a core (here: segments of 16 records or more,
/// as if the store were large), must find what one pass finds.
@Suite("Verify in segments")
struct SegmentedVerifyTests {
    private static let count = 203

    private func buildStore(at path: String) async throws {
        let store = try EventStore(directory: path, codec: OpaqueTestCodec(), options: .init(initialMapSize: 16 << 20, durable: false))
        for n in 0 ..< Self.count {
            _ = try await store.append(to: LedgerFixture.stream("SEG-\(n % 7)"), expected: .any, events: [LedgerFixture.event(n)])
        }
    }

    private func segmented(_ store: EventStore, from first: UInt64 = 1, against published: ChainDigest? = nil,
                           progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerificationReport {
        try store.verify(from: first, through: nil, against: published, cores: 4, segmentMinimum: 16, progress: progress)
    }

    @Test("segments cover the range in order, one a core at most, inner ends on whole subtrees of 4", arguments: [
        (1, 203, 4, 16), (1, 203, 2, 16), (7, 203, 4, 16), (1, 40, 8, 16), (1, 15, 4, 16), (5, 4, 4, 16), (1, 1_000_000, 16, 65_536),
    ] as [(UInt64, UInt64, Int, UInt64)])
    func split(first: UInt64, last: UInt64, cores: Int, minimum: UInt64) {
        let segments = VerificationSegment.split(first: first, last: last, cores: cores, minimum: minimum)
        #expect(segments.first?.first == first)
        #expect(segments.last?.last == last)
        #expect(segments.count <= max(1, min(cores, 8)))
        for (a, b) in zip(segments, segments.dropFirst()) {
            #expect(b.first == a.last + 1)
            #expect(a.last % 4 == 0)
            #expect(a.last >= a.first)
        }
        if last >= first, last - first + 1 >= 2 * minimum, cores > 1 { #expect(segments.count > 1) }
    }

    @Test("an intact log verifies to the same hash and tree root as one pass, with progress to the end")
    func intact() async throws {
        let directory = TemporaryDirectory("ledger-segments")
        try await buildStore(at: directory.path)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let whole = try store.verify()
        var calls: [(UInt64, UInt64)] = []
        let report = try segmented(store) { done, total in calls.append((done, total)) }
        #expect(report.checked == UInt64(Self.count))
        #expect(report.hash == whole.hash)
        #expect(report.treeRoot == whole.treeRoot)
        #expect(report.treeRoot == (try store.treeHead().root))
        #expect(calls.last.map { [$0.0, $0.1] } == [UInt64(Self.count), UInt64(Self.count)])
        #expect(try segmented(store, from: 30).checked == UInt64(Self.count) - 29)
        // A published tree digest and a chain digest inside a later segment both pass.
        let head = try store.treeHead(size: 150)
        #expect(try segmented(store, against: ChainDigest(head.description)).checked == UInt64(Self.count))
        let chainAt150 = try store.verify(through: 150).digest
        #expect(try segmented(store, against: chainAt150).checked == UInt64(Self.count))
    }

    @Test("a changed record in any segment is named by its seq; with two, the first", arguments: [[9], [120], [190], [140, 60]] as [[UInt64]])
    func alteredRecords(_ seqs: [UInt64]) async throws {
        let directory = TemporaryDirectory("ledger-segments-tamper")
        try await buildStore(at: directory.path)
        do {
            let raw = try RawLedger(path: directory.path)
            for seq in seqs { try raw.alterRecord(seq) { $0[$0.count - 65] ^= 0x01 } }
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try segmented(store) }
        #expect(failure?.seq == seqs.min())
        #expect(failure?.kind == .hashMismatch)
    }

    @Test("an altered tree node in a later segment is named by the seq that completed it")
    func alteredNode() async throws {
        let directory = TemporaryDirectory("ledger-segments-node")
        try await buildStore(at: directory.path)
        do {
            // Leaves 160…167 (level 3, index 20), completed by seq 168.
            let environment = try Environment(path: directory.path, configuration: .init(maxDatabases: 8))
            try environment.write { txn in
                let tree: Database<[UInt8], [UInt8]> = try txn.openDatabase("tree")
                let key = withUnsafeBytes(of: UInt64(167).bigEndian) { Array($0) } + [3]
                guard var hash = try txn.get(tree, key) else { throw LMDBError.notFound }
                hash[5] ^= 0x40
                try txn.put(tree, key, hash)
            }
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try segmented(store) }
        #expect(failure?.seq == 168)
        #expect(failure?.kind == .treeMismatch)
    }

    @Test("a missing record in a middle segment is a gap at its seq, and a digest from another log is a rewrite")
    func gapAndRewrite() async throws {
        let directory = TemporaryDirectory("ledger-segments-gap")
        try await buildStore(at: directory.path)
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
            let forged = ChainDigest(seq: 150, hash: ChainHash.genesis)
            let rewrite = #expect(throws: VerificationFailure.self) { try segmented(store, against: forged) }
            #expect(rewrite?.seq == 150)
            if case .digestMismatch = rewrite?.kind {} else { Issue.record("expected a digest mismatch, got \(String(describing: rewrite))") }
        }
        do {
            let raw = try RawLedger(path: directory.path)
            _ = try raw.environment.write { txn in try txn.delete(raw.log, UInt64(100)) }
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try segmented(store) }
        #expect(failure?.seq == 100)
        #expect(failure?.kind == .gap)
    }
}
