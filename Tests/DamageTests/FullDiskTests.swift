import Foundation
import LMDB
import Testing
import TestSupport

private func digest(_ store: String) throws -> String {
    try runLedger(["digest", "--store", store]).output.trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("A disk that fills up, on a small tmpfs", .serialized, .enabled(if: ScratchMount.allowed))
struct FullDiskTests {
    @Test("an import onto a full disk says the disk is full, writes nothing, the store verifies; reads go on, the views' lag folded in memory")
    func importOntoFullDisk() throws {
        let export = try PristineExport.shared.get()
        let count = export.lines.count
        let mount = try ScratchMount(megabytes: 8)
        let store = mount.path + "/store"
        let files = TemporaryDirectory("ledger-files")
        let first = try export.file(0 ..< count / 3, in: files.path, name: "first.jsonl")
        let second = try export.file(count / 3 ..< 2 * count / 3, in: files.path, name: "second.jsonl")
        let third = try export.file(2 * count / 3 ..< count, in: files.path, name: "third.jsonl")
        #expect(try runLedger(["import", first, "--store", store]).status == 0)
        #expect(try runLedger(["report", "evaluations", "--store", store]).status == 0)
        #expect(try runLedger(["import", second, "--store", store]).status == 0)
        // The answers a store that can write gives for the same log.
        let reference = files.path + "/reference"
        try FileManager.default.copyItem(atPath: store, toPath: reference)
        let before = try digest(store)

        try mount.fill(leaving: 32 << 10)
        let failed = try runLedger(["import", third, "--store", store])
        expectOneLineFailure(failed, mentioning: ["disk", "full"])
        #expect(!failed.stderr.contains("Input/output error"), "\(failed)")
        // Nothing half-written: the log is as it was, and verifies with its indexes.
        #expect(try digest(store) == before)
        let verify = try runLedger(["verify", "--store", store])
        #expect(verify.status == 0 && verify.output.hasPrefix("intact"), "\(verify)")

        // The views are behind the log (the second part) and cannot be written: the lag is
        // folded in memory, and the answers are the writable store's.
        for command in [["report", "evaluations"], ["report", "processing-time"], ["queue", "--window", "W01"]] {
            let run = try runLedger(command + ["--store", store])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("in memory"), "\(run)")
            #expect(run.output == (try runLedger(command + ["--store", reference])).output, "\(command)")
        }
    }

    @Test("no views on a full disk: not created (before: SIGBUS), the reads are answered from the log folded in memory")
    func viewsOnFullDisk() throws {
        let pristine = try PristineStore.shared.get()
        let mount = try ScratchMount(megabytes: 4)
        let store = mount.path + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: pristine.directory + "/events", toPath: store + "/events")
        try mount.fill(leaving: 16 << 10)
        let run = try runLedger(["case", pristine.caseNumber, "--store", store])
        #expect(run.status == 0 && !run.signalled, "\(run)")
        #expect(run.output == (try runLedger(["case", pristine.caseNumber, "--store", pristine.directory])).output)
        #expect(run.stderr.contains("folded the whole log"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: store + "/views/data.mdb"))
        #expect(try runLedger(["verify", "--store", store]).status == 0)
    }
}

@Suite("Maps grown by another process")
struct MapResizedTests {
    @Test("a reader and a writer holding the map open adopt the size another process grew it to (MDB_MAP_RESIZED), and so does a copy")
    func adoptsGrownMap() throws {
        let export = try PristineExport.shared.get()
        let files = TemporaryDirectory("ledger-files")
        let store = files.path + "/store"
        #expect(try runLedger(["import", try export.file(0 ..< 40, in: files.path, name: "first.jsonl"), "--store", store]).status == 0)
        let small = 256 << 10
        // This process holds the log's environment open with a map smaller than what is coming.
        let env = try Environment(path: store + "/events", configuration: .init(mapSize: small))
        let log: Database<UInt64, [UInt8]> = try env.openDatabase("log")
        #expect(try env.read { try $0.count(log) } == 40)
        #expect(env.mapSize == small)

        // Another process appends far beyond that map.
        let rest = try export.file(40 ..< export.lines.count, in: files.path, name: "rest.jsonl")
        let grown = try runLedger(["import", rest, "--store", store])
        #expect(grown.status == 0, "\(grown)")
        let size = (try FileManager.default.attributesOfItem(atPath: store + "/events/data.mdb")[.size] as? Int) ?? 0
        #expect(size > small, "the data file (\(size) bytes) did not grow beyond this process's map")

        // A copy first (it begins its own read snapshot), then a read, then a write transaction.
        let copy = files.path + "/copy"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try env.copy(to: copy)
        #expect(try env.read { try $0.count(log) } == export.lines.count)
        try env.write { _ in }
        #expect(env.mapSize > small)
        let copied = try Environment(path: copy, configuration: .init(readOnly: true))
        let copiedLog: Database<UInt64, [UInt8]> = try copied.openDatabase("log")
        #expect(try copied.read { try $0.count(copiedLog) } == export.lines.count)
    }
}
