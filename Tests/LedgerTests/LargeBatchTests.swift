import Foundation
@testable import Ledger
import Testing
import TestSupport

/// A batch large enough to be encoded in chunks while the writer stores the chunks already
/// encoded, and to have its tree hashed in chunks on another core while the writer stores the
/// next records.
@Suite("Large batches (encoded and tree-hashed beside the writer)")
struct LargeBatchTests {
    /// 3,000 requests of two events each: 6,000 records, several of the tree's hashing chunks and
    /// of the encoding's. The `refusing` ones cannot be encoded (no events); the `conflicting` ones
    /// (700 and later) expect a new stream where the batch already wrote one, so the log refuses them.
    static func requests(refusing refused: Set<Int> = [], conflicting: Set<Int> = []) -> [AppendRequest] {
        (0 ..< 3_000).map { i in
            let events = refused.contains(i) ? [] : [0, 1].map { LedgerFixture.event(2 * i + $0, id: LedgerFixture.id(2 * i + $0)) }
            return AppendRequest(stream: LedgerFixture.stream("BULK-\(i % 700)"), expected: conflicting.contains(i) ? .noStream : .any,
                                 events: events)
        }
    }

    @Test("one large commit stores the same chain and tree as the same events in small commits, and verifies")
    func sameTreeAsSmallCommits() async throws {
        let large = try TemporaryEventStore("ledger-large")
        let small = try TemporaryEventStore("ledger-small")
        let requests = Self.requests()
        _ = try await large.store.appendAll(requests)
        // The same batch encoded by four threads at once (as on a machine of 6 cores) stores the same.
        let helped = try TemporaryEventStore("ledger-helped")
        _ = try await helped.store.appendAll(requests, cores: 6)
        #expect(try helped.store.digest() == large.store.digest())
        #expect(try helped.store.treeHead() == large.store.treeHead())
        for start in stride(from: 0, to: requests.count, by: 25) {
            _ = try await small.store.appendAll(Array(requests[start ..< start + 25]))
        }
        #expect(try large.store.digest().seq == 6_000)
        #expect(try large.store.digest() == small.store.digest())
        #expect(try large.store.treeHead() == small.store.treeHead())
        #expect(try large.store.verify().checked == 6_000)
        #expect(try large.store.verifyIndexes().records == 6_000)
        // Every earlier tree size has the same root in both: every stored node matches.
        for size in [1, 1_023, 1_024, 1_025, 2_048, 4_097, 5_999] as [UInt64] {
            #expect(try large.store.treeHead(size: size) == small.store.treeHead(size: size))
        }
    }

    @Test("a large batch that fills the map part-way is stored whole once the map has grown, its chunks read again")
    func batchOutgrowsTheMap() async throws {
        let roomy = try TemporaryEventStore("ledger-roomy")
        let cramped = try TemporaryEventStore("ledger-cramped", initialMapSize: 256 << 10)
        let requests = Self.requests()
        _ = try await roomy.store.appendAll(requests)
        _ = try await cramped.store.appendAll(requests)
        // The one commit's data outgrew the first map several times over.
        let written = try FileManager.default.attributesOfItem(atPath: cramped.path + "/data.mdb")[.size] as? Int
        #expect((written ?? 0) > 4 * (256 << 10))
        #expect(try cramped.store.digest() == roomy.store.digest())
        #expect(try cramped.store.treeHead() == roomy.store.treeHead())
        #expect(try cramped.store.verify().checked == 6_000)
        #expect(try cramped.store.verifyIndexes().records == 6_000)
    }

    @Test("a large batch names its first refused request, whichever thread encoded it, and writes nothing")
    func firstRefusalNamed() async throws {
        let temporary = try TemporaryEventStore("ledger-large")
        for (refused, cores) in [([2_900, 2_500], 2), ([10, 2_500], 2), ([1_499, 1_500], 2), ([2_900, 2_500], 6), ([10, 2_500], 8)] {
            let error = await #expect(throws: BatchAppendError.self) {
                try await temporary.store.appendAll(Self.requests(refusing: Set(refused)), cores: cores)
            }
            #expect(error?.index == refused.min())
            #expect(try temporary.store.digest().seq == 0)
        }
    }

    @Test("a request the log refuses before one that cannot be encoded is the one named, in the same chunk or not")
    func firstRefusalInOrder() async throws {
        let temporary = try TemporaryEventStore("ledger-large")
        // (refused by the log, not encodable, expected index): 800 and 801 share a chunk of 256
        // requests; 1_000 and 2_000 do not.
        for (conflict, unencodable, named) in [(800, 801, 800), (801, 800, 800), (1_000, 2_000, 1_000), (2_000, 1_000, 1_000)] {
            let error = await #expect(throws: BatchAppendError.self) {
                try await temporary.store.appendAll(Self.requests(refusing: [unencodable], conflicting: [conflict]))
            }
            #expect(error?.index == named)
            if named == conflict {
                #expect(error?.error == .wrongExpectedVersion(stream: LedgerFixture.stream("BULK-\(conflict % 700)"),
                                                              expected: .noStream, actual: UInt32(2 * (conflict / 700) - 1)))
            } else {
                #expect(error?.error == .emptyAppend(LedgerFixture.stream("BULK-\(unencodable % 700)")))
            }
            #expect(try temporary.store.digest().seq == 0)
            #expect(try temporary.store.treeHead().size == 0)
        }
        // The same batch without the two goes through whole.
        _ = try await temporary.store.appendAll(Self.requests())
        #expect(try temporary.store.verify().checked == 6_000)
    }
}
