import Foundation
import LMDB
import Testing
import TestSupport

private struct Abandon: Error, Equatable {
    let step: Int
}

/// A fresh environment in its own temporary directory (not durable: nothing here needs fsync).
private func makeEnvironment() throws -> (TemporaryDirectory, Environment) {
    let directory = TemporaryDirectory("lmdb-txn")
    let environment = try Environment(path: directory.path, configuration: .init(mapSize: 4 << 20, durable: false))
    return (directory, environment)
}

@Suite("Read and write transactions")
struct TransactionTests {
    @Test("a write closure commits when it returns, and returns its value")
    func commitOnReturn() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<String, String> = try env.openDatabase("names")
        let returned = try env.write { txn -> Int in
            try txn.put(db, "a", "alpha")
            try txn.put(db, "b", "beta")
            return 42
        }
        #expect(returned == 42)
        try env.read { txn throws in
            #expect(try txn.get(db, "a") == "alpha")
            #expect(try txn.get(db, "b") == "beta")
            #expect(try txn.count(db) == 2)
        }
    }

    @Test("a throwing write closure aborts: nothing it wrote is visible, and its error is rethrown")
    func abortOnThrow() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<String, String> = try env.openDatabase("names")
        try env.write { txn in try txn.put(db, "kept", "before") }

        #expect(throws: Abandon(step: 1)) {
            try env.write { txn throws in
                try txn.put(db, "lost", "written then abandoned")
                try txn.put(db, "kept", "overwritten then abandoned")
                try txn.empty(db)
                throw Abandon(step: 1)
            }
        }
        try env.read { txn throws in
            #expect(try txn.get(db, "lost") == nil)
            #expect(try txn.get(db, "kept") == "before")
            #expect(try txn.count(db) == 1)
        }
    }

    @Test("the first error thrown inside the closure is the one rethrown, even an LMDB one")
    func firstErrorIsRethrown() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<UInt64, String> = try env.openDatabase("numbers")
        try env.write { txn in try txn.put(db, 1, "one") }

        let error = #expect(throws: LMDBError.self) {
            try env.write { txn throws in
                try txn.put(db, 2, "two")
                try txn.put(db, 1, "uno", flags: .noOverwrite) // fails: the key exists
                throw Abandon(step: 2) // never reached
            }
        }
        #expect(error == .keyExists)
        try env.read { txn throws in
            #expect(try txn.get(db, 1) == "one")
            #expect(try txn.get(db, 2) == nil)
        }
        // The environment is usable after the abort.
        try env.write { txn in try txn.put(db, 2, "two") }
        #expect(try env.read { try $0.get(db, 2) } == "two")
    }

    @Test("typed get and put round-trip UInt64, UInt32, String and byte arrays")
    func typedValues() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let counters: Database<String, UInt64> = try env.openDatabase("counters")
        let labels: Database<UInt64, String> = try env.openDatabase("labels")
        let blobs: Database<[UInt8], [UInt8]> = try env.openDatabase("blobs")
        let small: Database<UInt32, UInt32> = try env.openDatabase("small")
        let blob: [UInt8] = (0 ..< 300).map { UInt8(truncatingIfNeeded: $0 * 7) }

        try env.write { txn throws in
            try txn.put(counters, "max", UInt64.max)
            try txn.put(counters, "zero", 0)
            try txn.put(labels, 0x0102_0304_0506_0708, "八字节 key")
            try txn.put(blobs, [0, 1, 2], blob)
            try txn.put(blobs, [9], [])
            try txn.put(small, 7, 0xDEAD_BEEF)
        }
        try env.read { txn throws in
            #expect(try txn.get(counters, "max") == UInt64.max)
            #expect(try txn.get(counters, "zero") == 0)
            #expect(try txn.get(counters, "absent") == nil)
            #expect(try txn.get(labels, 0x0102_0304_0506_0708) == "八字节 key")
            #expect(try txn.get(blobs, [0, 1, 2]) == blob)
            #expect(try txn.get(blobs, [9]) == [])
            #expect(try txn.get(small, 7) == 0xDEAD_BEEF)
            #expect(try txn.contains(blobs, [9]))
            #expect(try !txn.contains(blobs, [8]))
            // Integers are stored big-endian, so the raw bytes sort numerically.
            let raw = try txn.withValue(labels, 0x0102_0304_0506_0708) { Array($0) }
            #expect(raw == Array("八字节 key".utf8))
        }
        let rawKeys: Database<[UInt8], [UInt8]> = try env.openDatabase("labels")
        let keys = try env.read { txn throws in
            try txn.withCursor(rawKeys) { cursor in try cursor.first().map { Array($0.key) } }
        }
        #expect(keys == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("decoding a value of the wrong size throws badValueSize")
    func wrongSizeDecoding() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let raw: Database<String, [UInt8]> = try env.openDatabase("mixed")
        let typed: Database<String, UInt64> = try env.openDatabase("mixed")
        try env.write { txn in try txn.put(raw, "short", [1, 2, 3]) }
        let error = #expect(throws: LMDBError.self) { try env.read { txn in try txn.get(typed, "short") } }
        #expect(error == .badValueSize)
    }

    @Test("noOverwrite refuses an existing key with keyExists and keeps the old value")
    func noOverwrite() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<String, String> = try env.openDatabase("names")
        try env.write { txn in try txn.put(db, "k", "first", flags: .noOverwrite) }
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, "k", "second", flags: .noOverwrite) }
        }
        #expect(error == .keyExists)
        #expect(try env.read { try $0.get(db, "k") } == "first")
        // Without the flag the value is replaced.
        try env.write { txn in try txn.put(db, "k", "second") }
        #expect(try env.read { try $0.get(db, "k") } == "second")
    }

    @Test("append refuses a key that does not sort last")
    func appendFlag() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<UInt64, String> = try env.openDatabase("log")
        try env.write { txn throws in
            for seq: UInt64 in [1, 2, 300] { try txn.put(db, seq, "e\(seq)", flags: .append) }
        }
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, 299, "late", flags: .append) }
        }
        #expect(error == .keyExists)
        #expect(try env.read { try $0.count(db) } == 3)
    }

    @Test("put(reserving:) stores what the closure writes in place")
    func reservingPut() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<UInt64, [UInt8]> = try env.openDatabase("log")
        try env.write { txn throws in
            try txn.put(db, 1, reserving: 5) { out in
                for i in 0 ..< 5 { out[i] = UInt8(10 + i) }
            }
        }
        #expect(try env.read { try $0.get(db, 1) } == [10, 11, 12, 13, 14])
    }

    @Test("delete returns true for a present key and false for an absent one")
    func deleteReportsPresence() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<String, String> = try env.openDatabase("names")
        try env.write { txn in try txn.put(db, "here", "x") }
        let (first, second, never) = try env.write { txn throws in
            (try txn.delete(db, "here"), try txn.delete(db, "here"), try txn.delete(db, "never-there"))
        }
        #expect(first)
        #expect(!second)
        #expect(!never)
        #expect(try env.read { try $0.count(db) } == 0)
    }

    @Test("a read snapshot does not see a write committed while it is open")
    func readSnapshotIsolation() throws {
        let (directory, env) = try makeEnvironment()
        defer { withExtendedLifetime(directory) {} }
        let db: Database<String, UInt64> = try env.openDatabase("counters")
        try env.write { txn in try txn.put(db, "n", 1) }
        let (inside, afterWrite) = try env.read { txn -> (UInt64?, UInt64?) in
            let before = try txn.get(db, "n")
            // Commit a new value from another thread while this snapshot is open.
            let committed = DispatchSemaphore(value: 0)
            Thread {
                try? env.write { txn in try txn.put(db, "n", 2) }
                committed.signal()
            }.start()
            committed.wait()
            return (before, try txn.get(db, "n"))
        }
        #expect(inside == 1)
        #expect(afterWrite == 1)
        #expect(try env.read { try $0.get(db, "n") } == 2)
    }

    @Test("LMDBError carries LMDB's message and compares by code")
    func errorDescription() {
        let error = LMDBError(code: LMDBError.keyExists.code, operation: "mdb_put names")
        #expect(error.message.contains("MDB_KEYEXIST"))
        #expect(error.description.contains(error.message))
        #expect(error.description.contains("mdb_put names"))
        #expect(error == .keyExists)
        #expect(error != .notFound)
        #expect(LMDBError.mapFull.description.contains("MDB_MAP_FULL"))
        #expect(LMDBError.notFound.description.contains("MDB_NOTFOUND"))
    }
}
