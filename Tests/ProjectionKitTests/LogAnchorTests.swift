import Foundation
import Ledger
import ProjectionKit
import Synchronization
import Testing
import TestSupport

/// Opens a runner of the toy projections over `store` in `views`, catches up, and returns the
/// resets it reported, the live views and the statuses.
private func catchUp(_ store: EventStore, _ views: TemporaryDirectory) throws -> (resets: [ViewReset], views: [String: LiveView], status: [ProjectionStatus]) {
    let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
    let resets = Mutex<[ViewReset]>([])
    runner.onReset = { reset in resets.withLock { $0.append(reset) } }
    try runner.catchUp()
    var live: [String: LiveView] = [:]
    for projection in Toy.all() { live[projection.name.rawValue] = try liveView(runner, projection) }
    return (resets.withLock { $0 }, live, try runner.status())
}

private func cleanViews(_ store: EventStore) throws -> [String: [String: [Entry]]] {
    try cleanBuild(store, Toy.all())
}

@Suite("Views tied to their log")
struct LogAnchorTests {
    @Test("views on a log that only grew are caught up, not rebuilt")
    func grownLogKeepsViews() async throws {
        let temporary = try await ToyEvents.store(60)
        let views = TemporaryDirectory("projkit-anchor")
        _ = try catchUp(temporary.store, views)
        try await ToyEvents.append(60 ..< 90, to: temporary.store)
        let (resets, live, status) = try catchUp(temporary.store, views)
        #expect(resets.isEmpty)
        #expect(status.allSatisfy { $0.generation == 1 && $0.checkpoint == 90 && $0.lag == 0 })
        let clean = try cleanViews(temporary.store)
        for (name, view) in live { #expect(view.databases == clean[name]) }
    }

    @Test("an older log restored under the views: each view says so and is rebuilt to it (before: answered from the later log, lag 0)")
    func olderLogRebuilds() async throws {
        let later = try await ToyEvents.store(60)
        let older = try await ToyEvents.store(40, label: "projkit-older")
        let views = TemporaryDirectory("projkit-anchor")
        _ = try catchUp(later.store, views)
        // Before catching up, the status says the views are not built on this log (before: lag 0).
        do {
            let runner = try ProjectionRunner(store: older.store, directory: views.path, projections: Toy.all())
            #expect(try runner.status().allSatisfy { !$0.builtOnThisLog && $0.checkpoint == 60 })
        }
        let (resets, live, status) = try catchUp(older.store, views)
        #expect(status.allSatisfy { $0.builtOnThisLog })
        #expect(Set(resets.map(\.projection)) == Set(Toy.all().map(\.name.rawValue)))
        #expect(resets.allSatisfy { $0.checkpoint == 60 && $0.head == 40 && $0.description.contains("rebuilding") })
        #expect(status.allSatisfy { $0.checkpoint == 40 && $0.lag == 0 && $0.rebuildingGeneration == nil })
        let clean = try cleanViews(older.store)
        for (name, view) in live { #expect(view.databases == clean[name], "\(name)") }
        // A new append to the restored log is seen (before: invisible behind a checkpoint beyond the head).
        try await ToyEvents.append(40 ..< 45, to: older.store)
        let after = try catchUp(older.store, views)
        #expect(after.resets.isEmpty)
        #expect(after.status.allSatisfy { $0.checkpoint == 45 })
    }

    @Test("another log with as many events: the hash at the checkpoint differs, and the views are rebuilt")
    func anotherLogOfTheSameLength() async throws {
        let first = try await ToyEvents.store(50)
        let other = try TemporaryEventStore("projkit-other", durable: false)
        try await ToyEvents.append(1000 ..< 1050, to: other.store)
        let views = TemporaryDirectory("projkit-anchor")
        _ = try catchUp(first.store, views)
        let (resets, live, _) = try catchUp(other.store, views)
        #expect(resets.count == Toy.all().count)
        #expect(resets.allSatisfy { $0.description.contains("another log") })
        let clean = try cleanViews(other.store)
        for (name, view) in live { #expect(view.databases == clean[name], "\(name)") }
    }
}
