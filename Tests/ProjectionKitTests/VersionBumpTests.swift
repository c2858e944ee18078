import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

@Suite("Version bump")
struct VersionBumpTests {
    @Test("a projection whose version changed is rebuilt by catchUp into generation + 1, old layout dropped")
    func bumpRebuilds() async throws {
        let temporary = try await ToyEvents.store(50)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all(version: 1))
            runner.batchSize = 7
            #expect(try runner.catchUp() == 50)
            #expect(try runner.read(.typeCounts) { reader in
                try reader.transaction.get(reader.databases("counts", as: Database<String, UInt64>.self), "t1")
            } != nil)
        }
        try await ToyEvents.append(50 ..< 64, to: store)

        let untouched = ApplyHook()
        do {
            // typeCounts moves to version 2 (other keys, one database fewer); caseEvents stays at 1.
            let projections: [any Projection] = [Toy(.typeCounts, version: 2), Toy(.caseEvents, hook: untouched)]
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: projections)
            runner.batchSize = 7
            let opened = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(opened.version == 2)
            #expect(opened.builtVersion == 1)
            #expect(opened.generation == 1)

            #expect(try runner.catchUp() == 64)
            let bumped = try #require(try runner.status().first { $0.name == "typeCounts" })
            #expect(bumped.version == 2 && bumped.builtVersion == 2)
            #expect(bumped.generation == 2)
            #expect(bumped.checkpoint == 64 && bumped.lag == 0)
            #expect(bumped.rebuildingGeneration == nil)

            // The view is version 2's.
            let view = try liveView(runner, Toy(.typeCounts, version: 2))
            #expect(view.checkpoint == 64)
            let keys = view.databases["counts"]!.map { String(decoding: $0.key, as: UTF8.self) }
            #expect(!keys.isEmpty && keys.allSatisfy { $0.hasPrefix("v2:") }, "\(keys)")
            #expect(view.databases == (try cleanBuild(store, [Toy(.typeCounts, version: 2)]))["typeCounts"])

            // The unchanged projection was only caught up, not rebuilt.
            let other = try #require(try runner.status().first { $0.name == "caseEvents" })
            #expect(other.generation == 1 && other.builtVersion == 1 && other.checkpoint == 64)
            #expect(untouched.calls == [51 ... 57, 58 ... 64])

            // Reopened with the same version: nothing to rebuild.
            untouched.resetCalls()
        }
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path,
                                              projections: [Toy(.typeCounts, version: 2, hook: untouched), Toy(.caseEvents)])
            try runner.catchUp()
            #expect(untouched.calls.isEmpty)
            #expect(try runner.status().map(\.generation) == [2, 1])
        }
        // Generation 1 of typeCounts is gone, its `legacy` database (not declared by v2) included.
        let names = try RawViews.names(views.path)
        #expect(Set(names.filter { $0.hasPrefix("typeCounts/") }) == ["typeCounts/2/counts", "typeCounts/2/seen"], "\(names)")
    }

    @Test("while a version bump is being rebuilt, a freshly opened runner answers from the old version at once")
    func readsDuringBumpAfterReopen() async throws {
        let temporary = try await ToyEvents.store(40)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let v1: LiveView
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
            try runner.catchUp()
            // Read with v2's declaration (a subset of v1's databases), as the reopened runner will.
            v1 = try liveView(runner, Toy(.typeCounts, version: 2))
            #expect(v1.databases["counts"]?.first.map { String(decoding: $0.key, as: UTF8.self).hasPrefix("v2:") } == false)
        }
        let hook = ApplyHook()
        hook.armGate()
        let runner = try ProjectionRunner(store: store, directory: views.path,
                                          projections: [Toy(.typeCounts, version: 2, hook: hook), Toy(.caseEvents)])
        runner.batchSize = 7
        let job = BackgroundJob { try runner.catchUp() }
        #expect(hook.entered.wait(timeout: .now() + 30) == .success, "the rebuild never started")

        let query = ResultBox<LiveView>()
        let reader = BackgroundJob { query.set(try liveView(runner, Toy(.typeCounts, version: 2))) }
        let answered = reader.wait(seconds: 10)
        #expect(answered != nil, "a read blocked behind the rebuild")
        if answered != nil { #expect(try query.get() == v1) }
        let during = try #require(try runner.status().first { $0.name == "typeCounts" })
        #expect(during.builtVersion == 1 && during.generation == 1 && during.rebuildingGeneration == 2)

        hook.release.signal()
        let outcome = try #require(job.wait(seconds: 60), "the catch-up did not finish")
        try outcome.get()
        _ = reader.wait(seconds: 30)
        let after = try liveView(runner, Toy(.typeCounts, version: 2))
        #expect(after.databases == (try cleanBuild(store, [Toy(.typeCounts, version: 2)]))["typeCounts"])
        #expect(try runner.status().first?.generation == 2)
    }

    @Test("a rebuild interrupted at one version and redone at another leaves nothing of the first in the view")
    func bumpAfterInterruptedRebuild() async throws {
        let temporary = try await ToyEvents.store(50)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let hook = ApplyHook()
        do {
            let runner = try Toy.runner(store, views, hook: hook)
            try runner.catchUp()
            // A v1 rebuild stops half-way: generation 2 holds v1 databases (`legacy` included).
            hook.failOn = 30
            #expect(throws: InjectedFault(seq: 30)) { try runner.rebuild([.typeCounts]) }
        }
        let interrupted = try RawViews.dump(views.path)
        #expect(RawViews.generation(interrupted, "typeCounts", 2)["legacy"]?.isEmpty == false)

        // Version 2 restarts generation 2 from scratch and switches to it.
        do {
            let runner = try ProjectionRunner(store: store, directory: views.path,
                                              projections: [Toy(.typeCounts, version: 2), Toy(.caseEvents)])
            runner.batchSize = 7
            #expect(try runner.catchUp() == 50)
            #expect(try runner.status().first.map { $0.generation == 2 && $0.builtVersion == 2 } == true)
        }
        let settled = try RawViews.settledDump(store, views.path, [Toy(.typeCounts, version: 2), Toy(.caseEvents)])
        #expect(RawViews.generations(settled, "typeCounts") == [2])
        #expect(RawViews.generation(settled, "typeCounts", 2) == (try cleanBuild(store, [Toy(.typeCounts, version: 2)]))["typeCounts"])
    }
}
