import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

@Suite("Rebuild without downtime")
struct RebuildTests {
    @Test("during a rebuild reads answer from the old generation; after the switch from the new one; the old one is dropped")
    func readsDuringRebuild() async throws {
        let temporary = try await ToyEvents.store(60)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let hook = ApplyHook()
        do {
            let runner = try Toy.runner(store, views, hook: hook)
            try runner.catchUp()
            let before = try liveView(runner, Toy(.typeCounts))
            #expect(before.checkpoint == 60)

            // The rebuild stops inside its first batch, holding the views' write transaction.
            hook.armGate()
            let job = BackgroundJob { try runner.rebuild([.typeCounts]) }
            #expect(hook.entered.wait(timeout: .now() + 30) == .success, "the rebuild never started")
            // Meanwhile the hall appends.
            try await ToyEvents.append(60 ..< 80, to: store)

            // A query on another thread answers at once, from generation 1 as it was.
            let query = ResultBox<LiveView>()
            let reader = BackgroundJob { query.set(try liveView(runner, Toy(.typeCounts))) }
            let answered = reader.wait(seconds: 10)
            #expect(answered != nil, "a read blocked behind the rebuild")
            if answered != nil {
                #expect(try query.get() == before)
            }
            let during = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(during.generation == 1)
            #expect(during.checkpoint == 60)
            #expect(during.lag == 20)
            #expect(during.rebuildingGeneration == 2)
            #expect(during.rebuildingCheckpoint == 0)

            hook.release.signal()
            let outcome = try #require(job.wait(seconds: 60), "the rebuild did not finish")
            try outcome.get()
            _ = reader.wait(seconds: 30)

            // Switched: generation 2, built up to the head including what arrived meanwhile.
            let after = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(after.generation == 2)
            #expect(after.checkpoint == 80)
            #expect(after.lag == 0)
            #expect(after.rebuildingGeneration == nil)
            let clean = try cleanBuild(store, Toy.all())
            let view = try liveView(runner, Toy(.typeCounts))
            #expect(view.checkpoint == 80)
            #expect(view.databases == clean["typeCounts"])
            // The other projection was not touched: still generation 1, behind until the next catch-up.
            let other = try #require(try runner.status().first { $0.name == "caseEvents" })
            #expect(other.generation == 1 && other.checkpoint == 60)
            #expect(try runner.catchUp() == 80)
            #expect(try liveView(runner, Toy(.caseEvents)).databases == clean["caseEvents"])
        }
        // The switch-over emptied generation 1 at once (a reader's older snapshot may still use its
        // handles); the next opening of the views deletes its databases.
        let released = try RawViews.dump(views.path)
        #expect(RawViews.generations(released, "typeCounts") == [1, 2])
        #expect(RawViews.generation(released, "typeCounts", 1).values.allSatisfy { $0.isEmpty })
        let names = Array(try RawViews.settledDump(store, views.path, Toy.all()).keys)
        #expect(!names.contains { $0.hasPrefix("typeCounts/1/") }, "\(names)")
        #expect(Set(names.filter { $0.hasPrefix("typeCounts/") }) == ["typeCounts/2/counts", "typeCounts/2/seen", "typeCounts/2/legacy"])
        #expect(Set(names.filter { $0.hasPrefix("caseEvents/") }) == ["caseEvents/1/byCase", "caseEvents/1/lastType"])
    }

    @Test("rebuilding twice gives byte-identical databases, equal to a clean build")
    func rebuildTwice() async throws {
        let temporary = try await ToyEvents.store(90)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
            runner.batchSize = 7
            try runner.catchUp()
            var reports: [ProjectionProgress] = []
            try runner.rebuild { reports.append($0) }
            #expect(!reports.isEmpty)
            #expect(reports.allSatisfy { ($0.rebuilding ?? "").contains("typeCounts") && ($0.rebuilding ?? "").contains("caseEvents") })
            #expect(reports.last.map { $0.done == $0.total && $0.total == 90 } == true)
        }
        let first = try RawViews.settledDump(store, views.path, Toy.all())
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
            runner.batchSize = 13
            try runner.rebuild()
            #expect(try runner.status().map(\.generation) == [3, 3])
        }
        let second = try RawViews.settledDump(store, views.path, Toy.all())
        let clean = try cleanBuild(store, Toy.all())
        for name in ["typeCounts", "caseEvents"] {
            #expect(RawViews.generations(first, name) == [2])
            #expect(RawViews.generations(second, name) == [3])
            #expect(RawViews.generation(first, name, 2) == RawViews.generation(second, name, 3))
            #expect(RawViews.generation(second, name, 3) == clean[name])
        }
    }

    @Test("reads racing the switch-over always see a complete generation", .timeLimit(.minutes(1)))
    func readsAcrossSwitch() async throws {
        let temporary = try await ToyEvents.store(40)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
        try runner.catchUp()
        let expected = try liveView(runner, Toy(.typeCounts))

        let stop = Flag()
        let bad = ResultBox<[String]>()
        bad.set([])
        let reader = BackgroundJob {
            var problems: [String] = []
            var reads = 0
            while !stop.isSet || reads < 100 {
                reads += 1
                do {
                    let view = try liveView(runner, Toy(.typeCounts))
                    if view != expected { problems.append("read \(reads): checkpoint \(view.checkpoint), \(view.databases.mapValues(\.count))") }
                } catch {
                    problems.append("read \(reads): \(error)")
                }
                if problems.count > 5 { break }
            }
            bad.set(problems)
        }
        for _ in 0 ..< 60 { try runner.rebuild([.typeCounts]) }
        stop.set()
        let outcome = try #require(reader.wait(seconds: 30))
        try outcome.get()
        #expect(try bad.get() == [])
        #expect(try runner.status().first?.generation == 61)
    }
}

/// A value handed from a background thread to the test.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) { lock.withLock { value = v } }
    struct Missing: Error {}
    func get() throws -> T {
        guard let value = lock.withLock({ value }) else { throw Missing() }
        return value
    }
}

/// A flag one thread sets and another polls.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
