import Foundation
import Ledger
import Simulator

/// Builds a store of about `events` simulated events without holding them in memory, and
/// measures a full rebuild's peak RSS in a child process (so the parent's memory doesn't count).
enum MemoryRun {
    static func fillStore(events: Int, seed: UInt64, directory: String) async throws -> UInt64 {
        let store = try LedgerPeer.openStore(directory)
        let simulator = DistrictSimulator(seeds: try Repository.seeds(), calendar: try Repository.calendar(),
                                          config: SimulationConfig(year: 2023, seed: seed, cases: max(200, events * 10 / 71)))
        let run = try simulator.start()
        var batch = AppendBatch()
        while let event = run.next() {
            batch.add(event)
            if batch.eventCount >= 65_536 {
                _ = try await store.appendAll(batch.requests)
                batch.removeAll()
            }
        }
        if batch.eventCount > 0 { _ = try await store.appendAll(batch.requests) }
        return try store.digest().seq
    }

    static func childRebuild(storeDirectory: String) throws -> (rssMiB: Double, rate: Double) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
            : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0])
        child.arguments = ["rss-rebuild", storeDirectory]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard child.terminationStatus == 0, fields.count == 2 else {
            throw SQLiteEventTable.Failure(description: "the rebuild child failed (status \(child.terminationStatus))")
        }
        return (fields[0], fields[1])
    }
}
