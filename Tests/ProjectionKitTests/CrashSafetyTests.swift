import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

// The crash test runs catch-ups and rebuilds in a child process and kills it with SIGKILL. The
// child is this very test binary, started with a filter that selects `CrashChild.entry` below and
// an environment variable that enables it (it is skipped in ordinary runs), so the child uses the
// same toy projections as the parent and the package needs no extra executable.

/// What the child is asked to do: `store|views|mode|batchSize|typeCountsVersion`.
private struct ChildOrder {
    static let variable = "PROJKIT_CRASH_CHILD"
    enum Mode: String { case catchUp, rebuildTypeCounts, rebuildAll }

    var store: String
    var views: String
    var mode: Mode
    var batchSize: Int
    var typeCountsVersion: Int

    var encoded: String { [store, views, mode.rawValue, String(batchSize), String(typeCountsVersion)].joined(separator: "|") }

    init(store: String, views: String, mode: Mode, batchSize: Int, typeCountsVersion: Int) {
        self.store = store
        self.views = views
        self.mode = mode
        self.batchSize = batchSize
        self.typeCountsVersion = typeCountsVersion
    }

    init?(_ text: String?) {
        guard let parts = text?.split(separator: "|").map(String.init), parts.count == 5,
              let mode = Mode(rawValue: parts[2]), let batchSize = Int(parts[3]), let version = Int(parts[4])
        else { return nil }
        self.init(store: parts[0], views: parts[1], mode: mode, batchSize: batchSize, typeCountsVersion: version)
    }

    static var current: ChildOrder? { ChildOrder(ProcessInfo.processInfo.environment[variable]) }
}

private func projections(typeCountsVersion: Int, hook: ApplyHook? = nil) -> [any Projection] {
    [Toy(.typeCounts, version: typeCountsVersion, hook: hook), Toy(.caseEvents, hook: hook)]
}

/// One line to stdout with a single unbuffered write, so the parent sees it at once.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

@Suite("Crash child (runs only inside the crash test's child process)")
struct CrashChild {
    @Test(.enabled(if: ChildOrder.current != nil))
    func entry() throws {
        let order = try #require(ChildOrder.current)
        let store = try EventStore(directory: order.store, codec: OpaqueTestCodec(), options: .init(initialMapSize: 16 << 20, durable: false))
        // Slow each batch down a little so the parent's kill lands in the middle of the work.
        let hook = ApplyHook(delayMicros: 300)
        let runner = try ProjectionRunner(store: store, directory: order.views,
                                          projections: projections(typeCountsVersion: order.typeCountsVersion, hook: hook))
        runner.batchSize = order.batchSize
        say("STARTED")
        let report: (ProjectionProgress) -> Void = { say("PROGRESS \($0.rebuilding ?? "-") \($0.done)") }
        switch order.mode {
        case .catchUp: try runner.catchUp(progress: report)
        case .rebuildTypeCounts: try runner.rebuild([.typeCounts], progress: report)
        case .rebuildAll: try runner.rebuild(progress: report)
        }
        say("DONE")
        // Wait for the kill (bounded, should the parent be gone).
        sleep(60)
    }
}

/// The running test binary (the child is another run of it).
private func testBinary() throws -> String {
    try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
}

private struct ChildFailure: Error, CustomStringConvertible {
    let description: String
}


@Suite("Crash safety")
struct ProjectionCrashTests {
    /// Starts the child on `order`, lets it report `progressLines` batches (or finish), waits
    /// `extraMicros` more, and kills it with SIGKILL. Returns the child's progress lines.
    private func runAndKill(_ order: ChildOrder, progressLines: Int, extraMicros: UInt32) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try testBinary())
        process.arguments = ["--testing-library", "swift-testing", "--filter", "CrashChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[ChildOrder.variable] = order.encoded
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let lines = ChildOutputLines(output.fileHandleForReading)
        let reached = lines.wait(timeout: 60) { lines in
            lines.contains("DONE") || lines.filter { $0.hasPrefix("PROGRESS") }.count >= progressLines
        }
        if reached && extraMicros > 0 { usleep(extraMicros) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard lines.waitForEnd(timeout: 10) else { throw ChildFailure(description: "the child's output never closed") }
        let all = lines.all
        guard reached else { throw ChildFailure(description: "the child made no progress within 60 s: \(all.suffix(5))") }
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        return all.filter { $0.hasPrefix("PROGRESS") || $0 == "DONE" }
    }

    @Test("SIGKILL mid catch-up or rebuild leaves each view consistent at its checkpoint; resuming completes it",
          .timeLimit(.minutes(3)))
    func killMidRun() async throws {
        let temporary = try await ToyEvents.store(400, label: "projkit-crash-store")
        let store = temporary.store
        let views = TemporaryDirectory("projkit-crash-views")
        var random = SeededGenerator(seed: 0x9E0_C7A5_4B1D)

        // Clean builds up to a checkpoint, by (projection, version, checkpoint), computed once each.
        var references: [String: [String: [Entry]]] = [:]
        func reference(_ kind: Toy.Kind, version: Int, upTo checkpoint: UInt64) throws -> [String: [Entry]] {
            let key = "\(kind.rawValue)/\(version)/\(checkpoint)"
            if let known = references[key] { return known }
            let built = try cleanBuild(store, [Toy(kind, version: version, limit: checkpoint)])[kind.rawValue] ?? [:]
            references[key] = built
            return built
        }

        // Rounds 0–2 run version 1; from round 3 on, typeCounts is at version 2, so round 3's
        // catch-up starts a rebuild for the bump and later rounds resume it.
        let schedule: [(ChildOrder.Mode, Int)] = [(.catchUp, 1), (.catchUp, 1), (.rebuildTypeCounts, 1),
                                                   (.catchUp, 2), (.catchUp, 2), (.rebuildAll, 2), (.rebuildAll, 2),
                                                   (.catchUp, 2), (.rebuildTypeCounts, 2), (.rebuildAll, 2)]
        var killedMidway = 0
        for (round, (mode, version)) in schedule.enumerated() {
            let batchSize = Int.random(in: 1 ... 3, using: &random)
            let order = ChildOrder(store: store.directory, views: views.path, mode: mode, batchSize: batchSize,
                                   typeCountsVersion: version)
            // 134 to 400 batches per pass: kill after 1 to 220 reports, plus up to 1 ms; a child
            // that finishes first is killed after it said so.
            let progressLines = Int.random(in: 1 ... 220, using: &random)
            let extra = UInt32.random(in: 0 ... 1000, using: &random)
            let lines = try runAndKill(order, progressLines: progressLines, extraMicros: extra)
            let finished = lines.contains("DONE")
            if !finished { killedMidway += 1 }
            let context = "round \(round) (\(mode), batch \(batchSize), kill after \(progressLines) reports + \(extra) µs)"

            // What the views say about themselves (opening them also deletes retired generations).
            let statuses = try ProjectionRunner(store: store, directory: views.path,
                                                projections: projections(typeCountsVersion: version)).status()
            let dump = try RawViews.dump(views.path)
            #expect(Set(statuses.map(\.name)) == ["typeCounts", "caseEvents"])
            for status in statuses {
                let kind = try #require(Toy.Kind(rawValue: status.name))
                if finished && (mode == .catchUp || mode == .rebuildAll || status.name == "typeCounts") {
                    // A run that completed left nothing half-done.
                    #expect(status.checkpoint == 400 && status.rebuildingGeneration == nil, "\(context): \(status)")
                }
                // The live generation holds exactly the events up to its checkpoint.
                #expect(RawViews.generation(dump, status.name, status.generation)
                            == (try reference(kind, version: status.builtVersion, upTo: status.checkpoint)),
                        "\(context): \(status.name) live generation \(status.generation) ≠ clean build up to \(status.checkpoint)")
                var expected: Set<Int> = [status.generation]
                if let building = status.rebuildingGeneration, let checkpoint = status.rebuildingCheckpoint {
                    // A generation being rebuilt is consistent too, with the version it is built with.
                    expected.insert(building)
                    let record = try #require(RawViews.record(dump, status.name))
                    #expect(record.building == UInt32(building) && record.buildingCheckpoint == checkpoint)
                    #expect(RawViews.generation(dump, status.name, building)
                                == (try reference(kind, version: Int(record.buildingVersion), upTo: checkpoint)),
                            "\(context): \(status.name) rebuilding generation \(building) (v\(record.buildingVersion)) ≠ clean build up to \(checkpoint)")
                }
                // No other generation, except a next one that was created but not yet recorded (empty).
                for stray in RawViews.generations(dump, status.name).subtracting(expected) {
                    #expect(stray == status.generation + 1 && status.rebuildingGeneration == nil,
                            "\(context): \(status.name) left generation \(stray) behind")
                    #expect(RawViews.generation(dump, status.name, stray).values.allSatisfy { $0.isEmpty },
                            "\(context): \(status.name) stray generation \(stray) is not empty")
                }
            }
        }
        // The seeded kill points must actually interrupt work most of the time.
        #expect(killedMidway >= schedule.count / 3, "only \(killedMidway) of \(schedule.count) rounds were interrupted")

        // Resuming completes every view to what a clean build gives.
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: projections(typeCountsVersion: 2))
            runner.batchSize = 5
            #expect(try runner.catchUp() == 400)
            for status in try runner.status() {
                #expect(status.checkpoint == 400 && status.lag == 0 && status.rebuildingGeneration == nil, "\(status)")
                #expect(status.builtVersion == (status.name == "typeCounts" ? 2 : 1))
            }
        }
        let dump = try RawViews.settledDump(store, views.path, projections(typeCountsVersion: 2))
        let clean = try cleanBuild(store, projections(typeCountsVersion: 2))
        for name in ["typeCounts", "caseEvents"] {
            let generations = RawViews.generations(dump, name)
            #expect(generations.count == 1, "\(name): \(generations)")
            if let live = generations.first {
                #expect(RawViews.generation(dump, name, live) == clean[name], "\(name) after resuming")
            }
        }
        #expect(dump["typeCounts/\(RawViews.generations(dump, "typeCounts").first ?? 0)/seen"]?.count == 400)
    }
}
