import Foundation
import LMDB
import Testing
import TestSupport

@Suite("Environment lifecycle and reader slots")
struct EnvironmentLifecycleTests {
    @Test("an environment opens and closes repeatedly, and its data persists across openings")
    func reopenRepeatedly() throws {
        let directory = TemporaryDirectory("lmdb-life")
        for round: UInt64 in 0 ..< 50 {
            let env = try Environment(path: directory.path, configuration: .init(mapSize: 1 << 20, maxReaders: 4))
            let db: Database<UInt64, UInt64> = try env.openDatabase("rounds")
            let count = try env.read { try $0.count(db) }
            #expect(count == Int(round))
            // Several readers per opening; each slot is freed when its closure ends.
            for _ in 0 ..< 10 { _ = try env.read { try $0.get(db, round) } }
            try env.write { txn in try txn.put(db, round, round * 10) }
        }
        let env = try Environment(path: directory.path)
        let db: Database<UInt64, UInt64> = try env.openDatabase("rounds")
        #expect(try env.read { try $0.get(db, 49) } == 490)
    }

    @Test("reader slots are returned when read closures end; only concurrent readers count")
    func readerSlotsAreReleased() throws {
        let directory = TemporaryDirectory("lmdb-life")
        let env = try Environment(path: directory.path, configuration: .init(maxReaders: 2, durable: false))
        let db: Database<String, String> = try env.openDatabase("names")
        try env.write { txn in try txn.put(db, "k", "v") }
        // Far more sequential read transactions than slots.
        for _ in 0 ..< 1000 {
            #expect(try env.read { try $0.get(db, "k") } == "v")
        }
        // Two nested readers fit; a third at once does not.
        let nested = try env.read { _ in try env.read { txn in try txn.get(db, "k") } }
        #expect(nested == "v")
        let error = #expect(throws: LMDBError.self) {
            try env.read { _ in try env.read { _ in try env.read { _ in () } } }
        }
        #expect(error == .readersFull)
        // And after the failure every slot is free again.
        #expect(try env.read { _ in try env.read { try $0.get(db, "k") } } == "v")
    }

    @Test("a read-only environment reads but refuses every write")
    func readOnlyEnvironment() throws {
        let directory = TemporaryDirectory("lmdb-life")
        do {
            let env = try Environment(path: directory.path)
            let db: Database<String, String> = try env.openDatabase("names")
            try env.write { txn in try txn.put(db, "k", "v") }
        }
        let env = try Environment(path: directory.path, configuration: .init(readOnly: true))
        let db: Database<String, String> = try env.openDatabase("names")
        #expect(try env.read { try $0.get(db, "k") } == "v")
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, "k", "changed") }
        }
        #expect(error?.code == EACCES)
        #expect(throws: LMDBError.notFound) {
            let _: Database<String, String> = try env.openDatabase("never-created")
        }
        #expect(try env.read { try $0.get(db, "k") } == "v")
    }

    @Test("opening a path that is not a directory fails with an LMDBError")
    func openFailure() throws {
        let directory = TemporaryDirectory("lmdb-life")
        let file = directory.appending("plain-file")
        _ = FileManager.default.createFile(atPath: file, contents: Data("not lmdb".utf8))
        #expect(throws: LMDBError.self) { _ = try Environment(path: file) }
        #expect(throws: LMDBError.self) {
            _ = try Environment(path: directory.appending("missing"), configuration: .init(readOnly: true))
        }
    }

    @Test("more named databases than maxDatabases fail with databasesFull")
    func databasesFull() throws {
        let directory = TemporaryDirectory("lmdb-life")
        let env = try Environment(path: directory.path, configuration: .init(maxDatabases: 2, durable: false))
        let _: Database<String, String> = try env.openDatabase("one")
        let _: Database<String, String> = try env.openDatabase("two")
        #expect(throws: LMDBError.databasesFull) {
            let _: Database<String, String> = try env.openDatabase("three")
        }
    }
}
