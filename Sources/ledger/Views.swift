import CaseDomain
import Foundation
import HallViews
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
    func openViews(_ store: EventStore, catchUp: Bool = true) throws -> ProjectionRunner {
        try openViewsRebuildingDamage { try openViewsOnce(store, catchUp: catchUp) }
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
