import LMDB
import Testing
import TestSupport

@Suite("Cursors")
struct CursorTests {
    @Test("a cursor walks keys in byte order, which is numeric order for UInt64 keys")
    func ordering() throws {
        let directory = TemporaryDirectory("lmdb-cursor")
        let env = try Environment(path: directory.path, configuration: .init(durable: false))
        let db: Database<UInt64, String> = try env.openDatabase("log")
        try env.write { txn throws in
            for key: UInt64 in [256, 1, 70_000, 2, 255] { try txn.put(db, key, "v\(key)") }
        }
        let (forward, backward, first, last) = try env.read { txn throws in
            try txn.withCursor(db) { cursor -> ([UInt64], [UInt64], UInt64?, UInt64?) in
                var forward: [UInt64] = []
                var entry = try cursor.first()
                while let (key, value) = entry {
                    let k = try UInt64(lmdbBytes: key)
                    #expect(String(lmdbBytes: value) == "v\(k)")
                    forward.append(k)
                    entry = try cursor.next()
                }
                var backward: [UInt64] = []
                entry = try cursor.last()
                while let (key, _) = entry {
                    backward.append(try UInt64(lmdbBytes: key))
                    entry = try cursor.previous()
                }
                let first = try cursor.first().map { try UInt64(lmdbBytes: $0.key) }
                let last = try cursor.last().map { try UInt64(lmdbBytes: $0.key) }
                return (forward, backward, first, last)
            }
        }
        #expect(forward == [1, 2, 255, 256, 70_000])
        #expect(backward == [70_000, 256, 255, 2, 1])
        #expect(first == 1)
        #expect(last == 70_000)
    }

    @Test("seek(atLeast:) lands on the first key ≥ the target; seek(exactly:) only on the key itself")
    func seeking() throws {
        let directory = TemporaryDirectory("lmdb-cursor")
        let env = try Environment(path: directory.path, configuration: .init(durable: false))
        let db: Database<UInt64, String> = try env.openDatabase("log")
        try env.write { txn throws in
            for key: UInt64 in [10, 20, 30] { try txn.put(db, key, "v\(key)") }
        }
        try env.read { txn throws in
            try txn.withCursor(db) { cursor throws in
                func key(_ entry: Cursor.Entry?) throws -> UInt64? { try entry.map { try UInt64(lmdbBytes: $0.key) } }
                #expect(try key(cursor.seek(atLeast: UInt64(0))) == 10)
                #expect(try key(cursor.seek(atLeast: UInt64(10))) == 10)
                #expect(try key(cursor.seek(atLeast: UInt64(11))) == 20)
                #expect(try key(cursor.seek(atLeast: UInt64(30))) == 30)
                #expect(try key(cursor.seek(atLeast: UInt64(31))) == nil)
                #expect(try key(cursor.seek(exactly: UInt64(20))) == 20)
                #expect(try key(cursor.current()) == 20)
                #expect(try key(cursor.next()) == 30)
                #expect(try key(cursor.seek(exactly: UInt64(25))) == nil)
            }
        }
    }

    @Test("an empty database has no first or last entry")
    func emptyDatabase() throws {
        let directory = TemporaryDirectory("lmdb-cursor")
        let env = try Environment(path: directory.path, configuration: .init(durable: false))
        let db: Database<String, String> = try env.openDatabase("empty")
        try env.read { txn throws in
            try txn.withCursor(db) { cursor throws in
                #expect(try cursor.first() == nil)
                #expect(try cursor.last() == nil)
                #expect(try cursor.seek(atLeast: "a") == nil)
            }
            #expect(try txn.count(db) == 0)
        }
    }

    @Test("dupSort keeps several sorted values per key; the cursor walks and counts them")
    func duplicates() throws {
        let directory = TemporaryDirectory("lmdb-cursor")
        let env = try Environment(path: directory.path, configuration: .init(durable: false))
        let db: Database<String, UInt64> = try env.openDatabase("cases", flags: [.dupSort, .dupFixed])
        try env.write { txn throws in
            for seq: UInt64 in [5, 1, 9, 3] { try txn.put(db, "A", seq) }
            for seq: UInt64 in [2, 4] { try txn.put(db, "B", seq) }
            try txn.put(db, "C", 7)
            // The same pair again: with noDuplicateData it is refused.
            let error = #expect(throws: LMDBError.self) { try txn.put(db, "A", 5, flags: .noDuplicateData) }
            #expect(error == .keyExists)
        }
        try env.read { txn throws in
            #expect(try txn.count(db) == 7, "count includes every duplicate")
            try txn.withCursor(db) { cursor throws in
                // Values of one key, in sorted order.
                #expect(try cursor.seek(exactly: "A") != nil)
                #expect(try cursor.duplicateCount() == 4)
                var values: [UInt64] = []
                var entry = try cursor.current()
                while let (_, value) = entry {
                    values.append(try UInt64(lmdbBytes: value))
                    entry = try cursor.nextDuplicate()
                }
                #expect(values == [1, 3, 5, 9])
                #expect(try cursor.lastDuplicate().map { try UInt64(lmdbBytes: $0.value) } == 9)
                #expect(try cursor.firstDuplicate().map { try UInt64(lmdbBytes: $0.value) } == 1)

                // One entry per key with nextKey.
                var keys: [String] = []
                var counts: [Int] = []
                entry = try cursor.first()
                while let (key, _) = entry {
                    keys.append(String(lmdbBytes: key))
                    counts.append(try cursor.duplicateCount())
                    entry = try cursor.nextKey()
                }
                #expect(keys == ["A", "B", "C"])
                #expect(counts == [4, 2, 1])
            }
        }
        // Deleting one pair keeps the others; deleting the key removes them all.
        let (pair, missingPair, key) = try env.write { txn throws in
            (try txn.delete(db, "A", value: 3), try txn.delete(db, "A", value: 4), try txn.delete(db, "B"))
        }
        #expect(pair)
        #expect(!missingPair)
        #expect(key)
        try env.read { txn throws in
            #expect(try txn.count(db) == 4)
            try txn.withCursor(db) { cursor throws in
                #expect(try cursor.seek(exactly: "A") != nil)
                #expect(try cursor.duplicateCount() == 3)
                #expect(try cursor.seek(exactly: "B") == nil)
            }
        }
    }

    @Test("appendDuplicate accepts values in ascending order only")
    func appendDuplicate() throws {
        let directory = TemporaryDirectory("lmdb-cursor")
        let env = try Environment(path: directory.path, configuration: .init(durable: false))
        let db: Database<String, UInt64> = try env.openDatabase("cases", flags: [.dupSort, .dupFixed])
        try env.write { txn throws in
            for seq: UInt64 in [1, 2, 300] { try txn.put(db, "A", seq, flags: .appendDuplicate) }
        }
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, "A", 299, flags: .appendDuplicate) }
        }
        #expect(error == .keyExists)
        #expect(try env.read { try $0.count(db) } == 3)
    }
}
