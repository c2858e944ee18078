import Foundation
import LMDB
import Testing
import TestSupport

@Suite("Map growth")
struct MapGrowthTests {
    /// One block of pseudo-random bytes, made once: generating every value byte by byte made
    /// the test slow (tens of seconds in a debug build on a loaded machine).
    private static let pattern: [UInt8] = {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0 ..< 64 << 10).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }()

    /// A value whose bytes depend on its key: the pattern with the key written at the start of
    /// every 4 KiB (each overflow page), so a read-back proves every page belongs to its value.
    private static func value(_ key: UInt64, size: Int = 64 << 10) -> [UInt8] {
        var bytes = Array(pattern.prefix(size))
        bytes.withUnsafeMutableBytes { raw in
            for offset in stride(from: 0, to: size - 8, by: 4096) { raw.storeBytes(of: key, toByteOffset: offset, as: UInt64.self) }
        }
        return bytes
    }

    /// Whether `stored` holds exactly `value(key, size:)`.
    private static func holds(_ stored: UnsafeRawBufferPointer, _ key: UInt64, size: Int = 64 << 10) -> Bool {
        let expected = value(key, size: size)
        return stored.count == size && expected.withUnsafeBytes { memcmp($0.baseAddress!, stored.baseAddress!, size) == 0 }
    }

    @Test("writes far beyond a 1 MiB initial map succeed: the map doubles as needed", .timeLimit(.minutes(1)))
    func growsFromOneMebibyte() throws {
        let directory = TemporaryDirectory("lmdb-growth")
        let initial = 1 << 20
        let env = try Environment(path: directory.path, configuration: .init(mapSize: initial, durable: false))
        let db: Database<UInt64, [UInt8]> = try env.openDatabase("blobs")
        #expect(env.mapSize == initial)

        let valueSize = 64 << 10
        let total = 1700 // × 64 KiB ≈ 106 MiB
        let perTransaction = 25
        var attempts = 0
        for start in stride(from: 0, to: total, by: perTransaction) {
            try env.write { txn throws in
                attempts += 1
                for key in UInt64(start) ..< UInt64(min(start + perTransaction, total)) {
                    try txn.put(db, key, MapGrowthTests.value(key))
                }
            }
        }
        let written = total * valueSize
        #expect(written > 100 << 20)
        #expect(env.mapSize > 100 << 20, "map is \(env.mapSize) bytes")
        #expect(env.usedBytes > 100 << 20)
        #expect(env.usedBytes <= env.mapSize)
        #expect(attempts > total / perTransaction, "some transaction must have been retried after MDB_MAP_FULL")

        try env.read { txn throws in
            #expect(try txn.count(db) == total)
            for key in stride(from: UInt64(0), to: UInt64(total), by: 1) {
                let matches = try txn.withValue(db, key) { stored in MapGrowthTests.holds(stored, key) }
                #expect(matches == true, "value \(key)")
            }
        }
    }

    @Test("concurrent writers and readers survive growth of the map", .timeLimit(.minutes(1)))
    func growsUnderConcurrency() async throws {
        let directory = TemporaryDirectory("lmdb-growth")
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 1 << 20, durable: false))
        let db: Database<UInt64, [UInt8]> = try env.openDatabase("blobs")
        let writers = 4, perWriter = 100, size = 32 << 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0 ..< writers {
                group.addTask {
                    for i in 0 ..< perWriter {
                        let key = UInt64(w * perWriter + i)
                        try env.write { txn in try txn.put(db, key, MapGrowthTests.value(key, size: size)) }
                        // A reader between writes, checking an earlier value is intact.
                        let earlier = UInt64(w * perWriter + i / 2)
                        let ok = try env.read { txn throws in
                            try txn.withValue(db, earlier) { MapGrowthTests.holds($0, earlier, size: size) }
                        }
                        #expect(ok == true)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try env.read { try $0.count(db) } == writers * perWriter)
        #expect(env.mapSize > writers * perWriter * size)
    }
}
