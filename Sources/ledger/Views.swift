import CaseDomain
import CaseStateProjection
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import Ledger
import ProcessingTimeProjection
import ProjectionKit
import ProjectionSupport

extension StoreOptions {
    var viewsPath: String { store + "/views" }

    func rules() throws -> HallRules {
        try HallRules.load(from: try seedsDirectory.appendingPathComponent("rules.json"))
    }

    /// The four read models over the store's log, caught up (rebuilding any whose version
    /// changed), with progress on stderr when it is a terminal.
    func openViews(_ store: EventStore, catchUp: Bool = true) throws -> ProjectionRunner {
        try openViewsRebuildingDamage { try openViewsOnce(store, catchUp: catchUp) }
    }

    private func openViewsOnce(_ store: EventStore, catchUp: Bool) throws -> ProjectionRunner {
        let calendar = try calendar()
        let rules = try rules()
        let runner = try ProjectionRunner(store: store, directory: viewsPath, projections: [
            CaseStateProjection(calendar: calendar),
            ProcessingTimeProjection(calendar: calendar),
            EvaluationsProjection(calendar: calendar, rules: rules),
            GoldWindowProjection(calendar: calendar, rules: rules),
        ])
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
