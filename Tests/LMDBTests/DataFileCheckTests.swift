import Foundation
import LMDB
import Testing
import TestSupport

/// An environment with enough data to span many pages, closed again.
private func filledEnvironment(_ directory: TemporaryDirectory, entries: UInt64 = 2000) throws {
    let env = try Environment(path: directory.path, configuration: .init(mapSize: 8 << 20))
    let db: Database<UInt64, [UInt8]> = try env.openDatabase("rows")
    try env.write { txn in
        for n in 0 ..< entries { try txn.put(db, n, [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 100)) }
    }
}

private func truncate(_ path: String, to size: Int) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
}

private func fileSize(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
}

@Suite("Data file checked against its meta pages before mapping")
struct DataFileCheckTests {
    @Test("an intact data file passes, and its live meta page covers the whole file")
    func intactFilePasses() throws {
        let directory = TemporaryDirectory("lmdb-check")
        try filledEnvironment(directory)
        let meta = try #require(try DataFileCheck.check(directory: directory.path))
        #expect(meta.pageSize == 4096)
        #expect(meta.transactionID >= 2)
        #expect(meta.requiredBytes <= (try fileSize(directory.appending("data.mdb"))))
        _ = try Environment(path: directory.path)
    }

    @Test("a missing data file is a new environment, not damage")
    func missingFileIsNew() throws {
        let directory = TemporaryDirectory("lmdb-check")
        #expect(try DataFileCheck.check(directory: directory.path) == nil)
    }

    @Test("a data file truncated to 8 KiB or to half is refused with one line, for reading and for writing",
          arguments: [8192, -2])
    func truncatedFileIsRefused(size: Int) throws {
        let directory = TemporaryDirectory("lmdb-check")
        try filledEnvironment(directory)
        let path = directory.appending("data.mdb")
        let full = try fileSize(path)
        try truncate(path, to: size > 0 ? size : full / 2)
        for readOnly in [true, false] {
            // Before the check, the first read past the end of the file ended the process (SIGBUS).
            let error = #expect(throws: LMDBError.self) {
                let env = try Environment(path: directory.path, configuration: .init(readOnly: readOnly))
                let db: Database<UInt64, [UInt8]> = try env.openDatabase("rows")
                _ = try env.read { try $0.get(db, 1999) }
            }
            #expect(error?.isDamage == true)
            guard case .truncated(_, let bytes, let required)? = error?.damage else {
                Issue.record("expected a truncation, got \(String(describing: error))")
                continue
            }
            #expect(bytes < required)
            #expect(error?.description.contains("truncated") == true)
            #expect(error?.description.contains("\n") == false)
        }
    }

    @Test("an empty data file is refused: opening it for writing does not start a new environment")
    func emptyFileIsRefused() throws {
        let directory = TemporaryDirectory("lmdb-check")
        _ = FileManager.default.createFile(atPath: directory.appending("data.mdb"), contents: Data())
        for readOnly in [false, true] {
            let error = #expect(throws: LMDBError.self) {
                _ = try Environment(path: directory.path, configuration: .init(readOnly: readOnly))
            }
            #expect(error?.damage == .empty(path: directory.appending("data.mdb")))
        }
        #expect(try fileSize(directory.appending("data.mdb")) == 0)
    }

    @Test("a data file without a valid meta page is refused")
    func garbageIsRefused() throws {
        let directory = TemporaryDirectory("lmdb-check")
        var generator = SeededGenerator(seed: 12)
        let garbage = (0 ..< 16_384).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        _ = FileManager.default.createFile(atPath: directory.appending("data.mdb"), contents: Data(garbage))
        let error = #expect(throws: LMDBError.self) { _ = try Environment(path: directory.path) }
        guard case .noValidMeta? = error?.damage else {
            Issue.record("expected no valid meta page, got \(String(describing: error))")
            return
        }
    }

    @Test("one damaged meta page is survivable: the other one decides")
    func oneMetaPageSuffices() throws {
        let directory = TemporaryDirectory("lmdb-check")
        try filledEnvironment(directory)
        let path = directory.appending("data.mdb")
        let before = try #require(try DataFileCheck.check(directory: directory.path))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 16)
        handle.write(Data(repeating: 0, count: 8))
        try handle.close()
        let after = try #require(try DataFileCheck.check(directory: directory.path))
        #expect(after.pageSize == before.pageSize)
    }

    @Test("a data file that is a directory is named as such")
    func directoryIsNotAFile() throws {
        let directory = TemporaryDirectory("lmdb-check")
        try FileManager.default.createDirectory(atPath: directory.appending("data.mdb"), withIntermediateDirectories: false)
        #expect(throws: DataFileDamage.notAFile(path: directory.appending("data.mdb"))) {
            try DataFileCheck.check(directory: directory.path)
        }
    }
}
