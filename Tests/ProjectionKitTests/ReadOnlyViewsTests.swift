import Foundation
import Ledger
import ProjectionKit
import Testing
import TestSupport

/// The files in `directory`, with the views' data file's bytes: what "nothing was written" is
/// checked against. (`lock.mdb` is LMDB's reader table, which any reader registers in where the
/// file system allows it; on a read-only mount there is none.)
private func files(_ directory: String) -> [String: Data?] {
    var out: [String: Data?] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
        out[name] = name == "data.mdb" ? FileManager.default.contents(atPath: directory + "/" + name) : Data()
    }
    return out
}

/// This process's scratch folders left in memory (there must be none once the views are open).
private func scratchLeft() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { $0.hasPrefix("ledger-views-\(getpid())-") }
}

/// Builds the toy views over `store` in `views` and closes them.
private func buildViews(_ store: EventStore, _ views: TemporaryDirectory) throws {
    let runner = try ProjectionRunner(store: store, directory: views.path, projections: Toy.all())
    try runner.catchUp()
}

@Suite("Views that cannot be written: read in place, or the lag folded in memory")
struct ReadOnlyViewsTests {
    @Test("views behind the log answer as a clean build does, the lag folded in memory; the files on disk are untouched")
    func lagFoldedInMemory() async throws {
        let temporary = try await ToyEvents.store(60)
        let views = TemporaryDirectory("projkit-readonly")
        try buildViews(temporary.store, views)
        try await ToyEvents.append(60 ..< 90, to: temporary.store)
        let before = files(views.path)

        // Read-only, they cannot answer for the log as it is (before: answered from seq 60 as if current).
        do {
            let onDisk = try ProjectionRunner(readingOnly: temporary.store, directory: views.path, projections: Toy.all())
            #expect(throws: ProjectionError.readOnlyViewsBehind(view: "typeCounts", checkpoint: 60, head: 90)) { try onDisk.catchUp() }
        }

        let opened = try ReadOnlyViews.open(store: temporary.store, directory: views.path, projections: Toy.all())
        #expect(opened.note.contains("30 events behind the log (seq 60 of 90)") && opened.note.contains("in memory"), "\(opened.note)")
        let clean = try cleanBuild(temporary.store, Toy.all())
        for projection in Toy.all() {
            let live = try liveView(opened.runner, projection)
            #expect(live.checkpoint == 90)
            #expect(live.databases == clean[projection.name.rawValue], "\(projection.name)")
        }
        #expect(files(views.path) == before, "the views on disk were written to")
        #expect(scratchLeft().isEmpty, "the scratch copy is still on disk: \(scratchLeft())")
    }

    @Test("views that hold the whole log are read in place, read-only: nothing created, nothing written, no rebuild")
    func caughtUpReadInPlace() async throws {
        let temporary = try await ToyEvents.store(40)
        let views = TemporaryDirectory("projkit-readonly")
        try buildViews(temporary.store, views)
        let before = files(views.path)
        let opened = try ReadOnlyViews.open(store: temporary.store, directory: views.path, projections: Toy.all())
        #expect(opened.runner.isReadOnly)
        #expect(opened.note.contains("read-only") && opened.note.contains("seq 40"), "\(opened.note)")
        #expect(try opened.runner.catchUp() == 40)
        #expect(throws: ProjectionError.readOnlyViews(directory: views.path)) { try opened.runner.rebuild() }
        let clean = try cleanBuild(temporary.store, Toy.all())
        for projection in Toy.all() { #expect(try liveView(opened.runner, projection).databases == clean[projection.name.rawValue]) }
        #expect(try opened.runner.status().allSatisfy { $0.lag == 0 && $0.builtOnThisLog })
        #expect(files(views.path) == before)
    }

    @Test("no views at all: the whole log is folded in memory, and no views folder is made")
    func missingViewsFolded() async throws {
        let temporary = try await ToyEvents.store(50)
        let folder = TemporaryDirectory("projkit-readonly")
        let missing = folder.appending("views")
        let opened = try ReadOnlyViews.open(store: temporary.store, directory: missing, projections: Toy.all())
        #expect(opened.note.contains("whole log (50 events)"), "\(opened.note)")
        let clean = try cleanBuild(temporary.store, Toy.all())
        for projection in Toy.all() { #expect(try liveView(opened.runner, projection).databases == clean[projection.name.rawValue]) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("views built on a later log than the one restored: not used, the restored log folded in memory")
    func viewsOfAnotherLog() async throws {
        let later = try await ToyEvents.store(60)
        let older = try await ToyEvents.store(40, label: "projkit-older")
        let views = TemporaryDirectory("projkit-readonly")
        try buildViews(later.store, views)
        let before = files(views.path)
        let opened = try ReadOnlyViews.open(store: older.store, directory: views.path, projections: Toy.all())
        let clean = try cleanBuild(older.store, Toy.all())
        for projection in Toy.all() {
            let live = try liveView(opened.runner, projection)
            #expect(live.checkpoint == 40 && live.databases == clean[projection.name.rawValue], "\(projection.name)")
        }
        #expect(opened.note.contains("40 events behind the log (seq 0 of 40)"), "\(opened.note)")
        #expect(files(views.path) == before)
    }

    @Test("the scratch copy keeps following the log: later appends are folded too")
    func scratchFollowsTheLog() async throws {
        let temporary = try await ToyEvents.store(30)
        let views = TemporaryDirectory("projkit-readonly")
        try buildViews(temporary.store, views)
        try await ToyEvents.append(30 ..< 35, to: temporary.store)
        let opened = try ReadOnlyViews.open(store: temporary.store, directory: views.path, projections: Toy.all())
        try await ToyEvents.append(35 ..< 50, to: temporary.store)
        #expect(try opened.runner.catchUp() == 50)
        let clean = try cleanBuild(temporary.store, Toy.all())
        for projection in Toy.all() { #expect(try liveView(opened.runner, projection).databases == clean[projection.name.rawValue]) }
    }
}
