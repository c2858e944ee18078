import Foundation
import Ledger
import LMDB
import Testing
import TestSupport

/// Open file descriptors of this process that refer to `path`.
func openDescriptors(of path: String) -> Int {
    let path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path }.count
}

@Suite("Store lifecycle")
struct StoreLifecycleTests {
    @Test("releasing the last reference to a store closes its LMDB environment at once")
    func releaseClosesEnvironment() async throws {
        let directory = TemporaryDirectory("ledger-life")
        let dataFile = directory.appending("data.mdb")
        for round in 0 ..< 30 {
            var store: EventStore? = try EventStore(directory: directory.path, options: .init(durable: false))
            #expect(openDescriptors(of: dataFile) >= 1)
            _ = try await store?.append(to: LedgerFixture.caseNumber("LIFE-\(round)"), expected: .noStream,
                                        events: [LedgerFixture.event(round)])
            store = nil
            // LMDB forbids a second open of the same environment in one process, so tests (and
            // tools) that reopen a directory rely on the environment being closed here, not later.
            #expect(openDescriptors(of: dataFile) == 0, "round \(round): environment still open after release")
        }
        let store = try EventStore(directory: directory.path)
        #expect(try store.digest().seq == 30)
        #expect(try store.verify().checked == 30)
    }

    @Test("appended events persist across reopening")
    func persistence() async throws {
        let directory = TemporaryDirectory("ledger-life")
        let caseNumber = LedgerFixture.caseNumber("PERSIST-1")
        let events = LedgerFixture.events(3)
        let digest: ChainDigest
        do {
            let store = try EventStore(directory: directory.path)
            _ = try await store.append(to: caseNumber, expected: .noStream, events: events)
            digest = try store.digest()
        }
        let store = try EventStore(directory: directory.path)
        #expect(try store.digest() == digest)
        #expect(try store.events(of: caseNumber).map(\.id) == events.map(\.id))
        #expect(try store.version(of: caseNumber) == 2)
    }

    @Test("a read-only store reads and verifies but refuses appends")
    func readOnlyStore() async throws {
        let directory = TemporaryDirectory("ledger-life")
        let caseNumber = LedgerFixture.caseNumber("RO-1")
        do {
            let store = try EventStore(directory: directory.path)
            _ = try await store.append(to: caseNumber, expected: .noStream, events: LedgerFixture.events(2))
        }
        let store = try EventStore(directory: directory.path, options: .init(readOnly: true))
        #expect(try store.events(of: caseNumber).count == 2)
        #expect(try store.verify().checked == 2)
        let error = await #expect(throws: LMDBError.self) {
            try await store.append(to: caseNumber, expected: .any, events: [LedgerFixture.event(9)])
        }
        #expect(error?.code == EACCES)
        #expect(throws: LMDBError.self) {
            try store.appendAndWait(to: caseNumber, expected: .any, events: [LedgerFixture.event(9)])
        }
        #expect(try store.digest().seq == 2)
    }

    @Test("statistics count events and cases")
    func statistics() async throws {
        let temporary = try TemporaryEventStore(durable: false)
        let store = temporary.store
        for c in 0 ..< 3 {
            _ = try await store.append(to: LedgerFixture.caseNumber("STAT-\(c)"), expected: .noStream,
                                       events: LedgerFixture.events(c + 1))
        }
        let stats = try store.statistics()
        #expect(stats.events == 6)
        #expect(stats.cases == 3)
        #expect(stats.head == (try store.digest()))
        #expect(stats.bytesOnDisk > 0)
    }
}
