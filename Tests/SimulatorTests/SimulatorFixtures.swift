import CaseDomain
import Foundation
import Ledger
import Simulator

/// The repository's seeds and calendars, found from this file's path, loaded once per process.
enum SimulatorFixtures {
    /// The package root: the nearest folder above this file holding Package.swift.
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    static let seedsDirectory = packageRoot.appendingPathComponent("seeds")

    private static let loadedSeeds = Result { () throws(SeedError) -> DistrictSeeds in
        try DistrictSeeds.load(directory: seedsDirectory)
    }
    private static let loadedCalendar = Result { () throws(CalendarError) -> WorkCalendar in
        try WorkCalendar.load(directory: seedsDirectory.appendingPathComponent("calendars"))
    }

    static func seeds() throws -> DistrictSeeds { try loadedSeeds.get() }
    static func calendar() throws -> WorkCalendar { try loadedCalendar.get() }

    static func simulator(_ config: SimulationConfig) throws -> DistrictSimulator {
        DistrictSimulator(seeds: try seeds(), calendar: try calendar(), config: config)
    }

    /// Every event of a run, in order, with its summary.
    static func events(_ config: SimulationConfig) throws -> ([SimulatedEvent], SimulationSummary) {
        var events: [SimulatedEvent] = []
        let summary = try simulator(config).run { events.append($0) }
        return (events, summary)
    }

    /// FNV-1a 64 over the run's interchange lines (newline-separated).
    static func fingerprint(_ config: SimulationConfig) throws -> (hash: UInt64, summary: SimulationSummary) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func fold(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let summary = try simulator(config).run { event in
            for byte in event.interchangeLine { fold(byte) }
            fold(10)
        }
        return (hash, summary)
    }
}
