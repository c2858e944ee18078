import CaseDomain
import Foundation
import HallViews
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

extension StoreOptions {
    var viewsPath: String { store + "/views" }

    func rules() throws -> HallRules {
        try HallRules.load(from: try seedsDirectory.appendingPathComponent("rules.json"))
    }

    /// The hall's read models, with the store's calendar and rules.
    func hallViews() throws -> HallViews {
        HallViews(calendar: try calendar(), rules: try rules())
    }

    /// The four read models over the store's log, caught up (rebuilding any whose version
    /// changed), with progress on stderr when it is a terminal.
    ///
    /// Views this process cannot write (a read-only file system, another user's files) are never
    /// written: they answer read-only when they hold the whole log, and otherwise the events they
    /// lack are folded into a copy in memory (`ReadOnlyViews`); a note on stderr says which.
    func openViews(_ store: EventStore, catchUp: Bool = true) throws -> ProjectionRunner {
        if catchUp, !ReadOnlyViews.canWrite(viewsPath) { return try openViewsReadOnly(store) }
        do {
            return try openViewsRebuildingDamage { try openViewsOnce(store, catchUp: catchUp) }
        } catch let error as LMDBError where catchUp && (error.isReadOnlyFileSystem || error.isDiskFull) {
            // Reads keep working when nothing can be written (a full disk too).
            return try openViewsReadOnly(store)
        }
    }

    /// The views as they are on disk, read-only, for `project status` (nil when there are none).
    func openViewsOnDisk(_ store: EventStore) throws -> ProjectionRunner? {
        guard FileManager.default.fileExists(atPath: viewsPath + "/data.mdb") else { return nil }
        return try ProjectionRunner(readingOnly: store, directory: viewsPath, projections: try hallViews().all)
    }

    private func openViewsReadOnly(_ store: EventStore) throws -> ProjectionRunner {
        let progress = ProgressLine("views")
        let opened = try ReadOnlyViews.open(store: store, directory: viewsPath, projections: try hallViews().all) { p in
            progress.update(Int(p.done), of: Int(p.total))
        }
        progress.finish()
        FileHandle.standardError.write(Data("note: \(opened.note)\n".utf8))
        return opened.runner
    }

    private func openViewsOnce(_ store: EventStore, catchUp: Bool) throws -> ProjectionRunner {
        let runner = try ProjectionRunner(store: store, directory: viewsPath, projections: try hallViews().all)
        runner.onReset = { reset in FileHandle.standardError.write(Data("note: \(reset)\n".utf8)) }
        if catchUp { try catchUpWithProgress(runner) }
        return runner
    }

    func catchUpWithProgress(_ runner: ProjectionRunner) throws {
        let progress = ProgressLine("views")
        try runner.catchUp { p in progress.update(Int(p.done), of: Int(p.total)) }
        progress.finish()
    }
}
