import Foundation
import LMDB
import Ledger
import ProjectionKit
import Testing
import TestSupport

@Suite("Catch-up")
struct CatchUpTests {
    @Test("catchUp applies every event in batches; checkpoint = head; status reports it")
    func catchUpMatchesLog() async throws {
        let temporary = try await ToyEvents.store(100)
        let store = temporary.store
        let views = TemporaryDirectory("projkit-views")
        let hook = ApplyHook()
        let runner = try Toy.runner(store, views, hook: hook)

        let before = try runner.status()
        #expect(before.map(\.name) == ["typeCounts", "caseEvents"])
        for status in before {
            #expect(status.version == 1 && status.builtVersion == 1)
            #expect(status.generation == 1)
            #expect(status.checkpoint == 0)
            #expect(status.lag == 100)
            #expect(status.rebuildingGeneration == nil && status.rebuildingCheckpoint == nil)
        }

        var reports: [ProjectionProgress] = []
        let reached = try runner.catchUp { reports.append($0) }
        #expect(reached == 100)

        // 100 events in batches of 7: 15 batches, each handed to both projections.
        let expectedRanges = stride(from: UInt64(1), through: 100, by: 7).map { $0 ... min($0 + 6, 100) }
        #expect(hook.calls == expectedRanges.flatMap { [$0, $0] })
        #expect(reports.map(\.done) == expectedRanges.map(\.upperBound))
        #expect(reports.allSatisfy { $0.total == 100 && $0.rebuilding == nil })

        for status in try runner.status() {
            #expect(status.checkpoint == 100)
            #expect(status.lag == 0)
            #expect(status.generation == 1)
            #expect(status.rebuildingGeneration == nil)
        }

        // The views hold what the log says, computed here independently of the projection.
        var expectedCounts: [String: UInt64] = [:]
        var expectedByCase: [String: [UInt64]] = [:]
        var expectedLast: [String: UInt8] = [:]
        for event in try store.events(from: 1, limit: 1000) {
            expectedCounts[event.typeCode.name, default: 0] += 1
            expectedByCase[event.stream.rawValue, default: []].append(event.seq)
            expectedLast[event.stream.rawValue] = event.typeCode.rawValue
        }
        let counts = try runner.read(.typeCounts) { reader in
            #expect(reader.checkpoint == 100)
            var out: [String: UInt64] = [:]
            let db: Database<String, UInt64> = reader.databases("counts")
            for type in ToyEvents.types { out[type.name] = try reader.transaction.get(db, type.name) }
            let seen: Database<UInt64, UInt64> = reader.databases("seen")
            #expect(try reader.transaction.count(seen) == 100)
            for seq in UInt64(1) ... 100 { #expect(try reader.transaction.get(seen, seq) == 1) }
            return out
        }
        #expect(counts == expectedCounts)
        #expect(counts.values.reduce(0, +) == 100)

        let view = try liveView(runner, Toy(.caseEvents))
        #expect(view.checkpoint == 100)
        var byCase: [String: [UInt64]] = [:]
        for entry in view.databases["byCase"]! {
            byCase[String(decoding: entry.key, as: UTF8.self), default: []]
                .append(try entry.value.withUnsafeBytes { try UInt64(lmdbBytes: $0) })
        }
        #expect(byCase == expectedByCase)
        let last = Dictionary(uniqueKeysWithValues: view.databases["lastType"]!.map { (String(decoding: $0.key, as: UTF8.self), $0.value) })
        #expect(last == expectedLast.mapValues { [$0] })

        // Caught up: another catchUp applies nothing.
        hook.resetCalls()
        #expect(try runner.catchUp() == 100)
        #expect(hook.calls.isEmpty)
    }

    @Test("catching up in rounds = one catch-up at the end = a fresh runner: byte-identical databases")
    func deterministicAcrossRounds() async throws {
        let rounds = [0 ..< 13, 13 ..< 14, 14 ..< 60, 60 ..< 61, 61 ..< 130]

        // A: catchUp after every round of appends.
        let storeA = try TemporaryEventStore("projkit-a", durable: false)
        let viewsA = TemporaryDirectory("projkit-views-a")
        do {
            let runner = try ProjectionRunner(store: storeA.store, directory: viewsA.path, projections: Toy.all())
            runner.batchSize = 7
            for range in rounds {
                try await ToyEvents.append(range, to: storeA.store)
                #expect(try runner.catchUp() == UInt64(range.upperBound))
                #expect(try runner.status().allSatisfy { $0.checkpoint == UInt64(range.upperBound) && $0.lag == 0 })
            }
        }

        // B: the same events in another store, one catchUp at the end.
        let storeB = try TemporaryEventStore("projkit-b", durable: false)
        let viewsB = TemporaryDirectory("projkit-views-b")
        for range in rounds { try await ToyEvents.append(range, to: storeB.store) }
        #expect(try storeB.store.digest() == storeA.store.digest())
        do {
            let runner = try ProjectionRunner(store: storeB.store, directory: viewsB.path, projections: Toy.all())
            runner.batchSize = 7
            #expect(try runner.catchUp() == 130)
        }

        // C: a fresh runner over a new views directory on store A, default batch size.
        let viewsC = TemporaryDirectory("projkit-views-c")
        do {
            let runner = try ProjectionRunner(store: storeA.store, directory: viewsC.path, projections: Toy.all())
            #expect(try runner.catchUp() == 130)
        }

        let a = try RawViews.dump(viewsA.path)
        let b = try RawViews.dump(viewsB.path)
        let c = try RawViews.dump(viewsC.path)
        #expect(Set(a.keys) == ["projections", "anchors", "typeCounts/1/counts", "typeCounts/1/seen", "typeCounts/1/legacy",
                                "caseEvents/1/byCase", "caseEvents/1/lastType"])
        #expect(a["typeCounts/1/seen"]?.count == 130)
        #expect(a["caseEvents/1/byCase"]?.count == 130)
        #expect(a == b)
        #expect(a == c)
    }
}
