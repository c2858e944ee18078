import ProjectionKit
import LMDB
import Ledger

/// The benchmark's projections applied to events from any source — another store, a feed, a benchmark's SQLite
/// table — into fresh views, without checkpoints or generations. Each `apply` is one write
/// transaction, exactly as the runner does it.
final class DetachedViews: @unchecked Sendable {
    let projections: [any Projection]
    let environment: Environment
    private let databases: [ViewDatabases]

    init(directory: String, projections: [any Projection]) throws {
        self.projections = projections
        environment = try Environment(path: directory, configuration: EnvironmentConfiguration(
            mapSize: 256 << 20, maxDatabases: 256, maxReaders: 16, durable: false))
        databases = try environment.write { txn in
            try projections.map { projection in
                var byName: [String: RawDatabase] = [:]
                for spec in projection.databases {
                    byName[spec.name] = try txn.openDatabase("\(projection.name)/\(spec.name)", flags: spec.flags)
                }
                return ViewDatabases(byName: byName)
            }
        }
    }

    /// Applies a batch of events (seq order) to every projection, in one transaction.
    func apply(_ events: ArraySlice<EventView>) throws {
        let batch = EventBatch(events)
        try environment.write { txn in
            for (projection, dbs) in zip(projections, databases) {
                try projection.apply(batch, to: ViewWriter(transaction: txn, databases: dbs))
            }
        }
    }
}
