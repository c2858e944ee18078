import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

@Suite("Exactly once")
struct ExactlyOnceTests {
    @Test("an apply that throws leaves every view at the previous batch boundary; the retry applies each event once")
    func failedBatchIsNotHalfApplied() async throws {
        let temporary = try await ToyEvents.store(100)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let hook = ApplyHook(failOn: 40)
        // The healthy projection applies its part of the batch first; the faulty one then throws.
        let projections: [any Projection] = [Toy(.caseEvents), Toy(.typeCounts, hook: hook)]
        let runner = try ProjectionRunner(store: store, directory: views.path, projections: projections)
        runner.batchSize = 7

        #expect(throws: InjectedFault(seq: 40)) { try runner.catchUp() }
        // Batches 1…7, …, 29…35 committed; 36…42 aborted for both views.
        for status in try runner.status() {
            #expect(status.checkpoint == 35, "\(status.name)")
            #expect(status.lag == 65)
            #expect(status.generation == 1)
        }
        let upTo35 = try cleanBuild(store, Toy.all(limit: 35))
        for projection in projections {
            let view = try liveView(runner, projection)
            #expect(view.checkpoint == 35)
            #expect(view.databases == upTo35[projection.name.rawValue], "\(projection.name) is half-applied")
        }

        // The fault stays: a second try fails the same way and changes nothing.
        #expect(throws: InjectedFault(seq: 40)) { try runner.catchUp() }
        #expect(try runner.status().allSatisfy { $0.checkpoint == 35 })

        // Fault removed: the run continues from 36 and the result equals a clean build.
        hook.failOn = nil
        hook.resetCalls()
        #expect(try runner.catchUp() == 100)
        #expect(hook.calls.first == 36 ... 42)
        #expect(hook.calls.last == 99 ... 100)
        let clean = try cleanBuild(store, Toy.all())
        for projection in projections {
            let view = try liveView(runner, projection)
            #expect(view.checkpoint == 100)
            #expect(view.databases == clean[projection.name.rawValue], "\(projection.name)")
        }
        // `seen` counts applications per seq: every event exactly once.
        let seen = try liveView(runner, Toy(.typeCounts)).databases["seen"]!
        #expect(seen.count == 100)
        #expect(seen.allSatisfy { $0.value == [0, 0, 0, 0, 0, 0, 0, 1] })
    }

    @Test("a rebuild that throws keeps the live view and resumes where it stopped")
    func failedRebuildResumes() async throws {
        let temporary = try await ToyEvents.store(100)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let hook = ApplyHook()
        let before: LiveView
        do {
            let runner = try Toy.runner(store, views, hook: hook)
            try runner.catchUp()
            before = try liveView(runner, Toy(.typeCounts))

            hook.failOn = 60
            #expect(throws: InjectedFault(seq: 60)) { try runner.rebuild([.typeCounts]) }
            let status = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(status.generation == 1)
            #expect(status.checkpoint == 100)
            #expect(status.rebuildingGeneration == 2)
            #expect(status.rebuildingCheckpoint == 56)
            // Queries still answer from generation 1, unchanged.
            #expect(try liveView(runner, Toy(.typeCounts)) == before)
        }

        // The new generation holds exactly the committed batches.
        let dump = try RawViews.dump(views.path)
        #expect(RawViews.generations(dump, "typeCounts") == [1, 2])
        #expect(RawViews.generation(dump, "typeCounts", 2) == (try cleanBuild(store, [Toy(.typeCounts, limit: 56)]))["typeCounts"])

        // A new runner (as after a restart) finishes the rebuild from seq 57 on.
        hook.failOn = nil
        hook.resetCalls()
        do {
            let runner = try Toy.runner(store, views, hook: hook)
            #expect(try runner.catchUp() == 100)
            #expect(hook.calls == stride(from: UInt64(57), through: 100, by: 7).map { $0 ... min($0 + 6, 100) })
            let status = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(status.generation == 2)
            #expect(status.checkpoint == 100)
            #expect(status.rebuildingGeneration == nil)
            let after = try liveView(runner, Toy(.typeCounts))
            #expect(after == before)
        }
        // The switch-over emptied generation 1; the next opening of the views deletes it.
        let final = try RawViews.settledDump(store, views.path, Toy.all())
        #expect(RawViews.generations(final, "typeCounts") == [2])
        #expect(RawViews.generation(final, "typeCounts", 2) == (try cleanBuild(store, [Toy(.typeCounts)]))["typeCounts"])
    }
}
