import Foundation
import Ledger
import Testing
import TestSupport

/// A batch large enough to be encoded on every core and to have its tree hashed in chunks on
/// another core while the writer stores the next records.
@Suite("Large batches (parallel encoding, tree hashed beside the writer)")
struct LargeBatchTests {
    /// 3,000 requests of two events each: 6,000 records, several of the tree's hashing chunks.
    static func requests(refusing refused: Set<Int> = []) -> [AppendRequest] {
        (0 ..< 3_000).map { i in
            let events = refused.contains(i) ? [] : [0, 1].map { LedgerFixture.event(2 * i + $0, id: LedgerFixture.id(2 * i + $0)) }
            return AppendRequest(stream: LedgerFixture.stream("BULK-\(i % 700)"), expected: .any, events: events)
        }
    }

    @Test("one large commit stores the same chain and tree as the same events in small commits, and verifies")
    func sameTreeAsSmallCommits() async throws {
        let large = try TemporaryEventStore("ledger-large")
        let small = try TemporaryEventStore("ledger-small")
        let requests = Self.requests()
        _ = try await large.store.appendAll(requests)
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

    @Test("a large batch names its first refused request, whichever core encoded it, and writes nothing")
    func firstRefusalNamed() async throws {
        let temporary = try TemporaryEventStore("ledger-large")
        for refused in [[2_900, 2_500], [10, 2_500], [1_499, 1_500]] {
            let error = await #expect(throws: BatchAppendError.self) {
                try await temporary.store.appendAll(Self.requests(refusing: Set(refused)))
            }
            #expect(error?.index == refused.min())
            #expect(try temporary.store.digest().seq == 0)
        }
    }
}
