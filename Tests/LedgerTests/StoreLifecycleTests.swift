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
            var store: EventStore? = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(durable: false))
            #expect(openDescriptors(of: dataFile) >= 1)
            _ = try await store?.append(to: LedgerFixture.stream("LIFE-\(round)"), expected: .noStream,
                                        events: [LedgerFixture.event(round)])
            store = nil
            // LMDB forbids a second open of the same environment in one process, so tests (and
            // tools) that reopen a directory rely on the environment being closed here, not later.
            #expect(openDescriptors(of: dataFile) == 0, "round \(round): environment still open after release")
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        #expect(try store.digest().seq == 30)
        #expect(try store.verify().checked == 30)
    }

    @Test("appended events persist across reopening")
    func persistence() async throws {
        let directory = TemporaryDirectory("ledger-life")
        let caseNumber = LedgerFixture.stream("PERSIST-1")
        let events = LedgerFixture.events(3)
        let digest: ChainDigest
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
            _ = try await store.append(to: caseNumber, expected: .noStream, events: events)
            digest = try store.digest()
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        #expect(try store.digest() == digest)
        #expect(try store.events(of: caseNumber).map(\.id) == events.map(\.id))
        #expect(try store.version(of: caseNumber) == 2)
    }

    @Test("a read-only store reads and verifies but refuses appends")
    func readOnlyStore() async throws {
        let directory = TemporaryDirectory("ledger-life")
        let caseNumber = LedgerFixture.stream("RO-1")
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
            _ = try await store.append(to: caseNumber, expected: .noStream, events: LedgerFixture.events(2))
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        #expect(try store.events(of: caseNumber).count == 2)
        #expect(try store.verify().checked == 2)
        // A LedgerError, so an embedder catches it without importing LMDB.
        await #expect(throws: LedgerError.readOnlyStore(directory: directory.path)) {
            try await store.append(to: caseNumber, expected: .any, events: [LedgerFixture.event(9)])
        }
        #expect(throws: LedgerError.readOnlyStore(directory: directory.path)) {
            try store.appendAndWait(to: caseNumber, expected: .any, events: [LedgerFixture.event(9)])
        }
        #expect(try store.digest().seq == 2)
    }

    @Test("statistics count events and cases")
    func statistics() async throws {
        let temporary = try TemporaryEventStore(durable: false)
        let store = temporary.store
        for c in 0 ..< 3 {
            _ = try await store.append(to: LedgerFixture.stream("STAT-\(c)"), expected: .noStream,
                                       events: LedgerFixture.events(c + 1))
        }
        let stats = try store.statistics()
        #expect(stats.events == 6)
        #expect(stats.streams == 3)
        #expect(stats.head == (try store.digest()))
        #expect(stats.bytesOnDisk > 0)
    }
}

@Suite("Store directory")
struct StoreDirectoryTests {
    @Test("a store in a folder whose parents do not exist yet is created with them")
    func createsParents() async throws {
        let directory = TemporaryDirectory("ledger-parents")
        let path = directory.appending("a/b/c/events")
        let store = try EventStore(directory: path, codec: OpaqueTestCodec(), options: .init(durable: false))
        _ = try await store.append(to: LedgerFixture.stream("P-1"), expected: .noStream, events: [LedgerFixture.event(1)])
        #expect(FileManager.default.fileExists(atPath: path + "/data.mdb"))
    }

    @Test("a folder that cannot be made is one line naming it")
    func uncreatableIsOneLine() throws {
        let directory = TemporaryDirectory("ledger-parents")
        let file = directory.appending("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        do {
            _ = try EventStore(directory: file + "/events", codec: OpaqueTestCodec())
            Issue.record("expected cannotCreateStore")
        } catch let error as LedgerError {
            guard case .cannotCreateStore(let path, _) = error else { Issue.record("got \(error)"); return }
            #expect(path == file + "/events")
            #expect(!error.description.contains("\n"))
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("the store's codec refuses what it does not know; nothing is written")
    func codecRefuses() async throws {
        let directory = TemporaryDirectory("ledger-codec")
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(durable: false))
        var event = LedgerFixture.event(1)
        event.type = EventTypeCode(255)
        await #expect(throws: LedgerError.invalidPayload(type: EventTypeCode(255), reason: "unknown event type code 255")) {
            try await store.append(to: LedgerFixture.stream("P-2"), expected: .any, events: [LedgerFixture.event(0), event])
        }
        #expect(try store.digest().seq == 0)
    }
}
