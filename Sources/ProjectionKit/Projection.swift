import LMDB
import Ledger

/// A read model built from the log. The runner feeds it the events after its checkpoint, in
/// seq order and in batches; each batch's view changes and the new checkpoint commit in ONE
/// write transaction of the views environment, so a view is never half-applied.
///
/// Rules for implementations:
/// - deterministic: the same events give byte-identical databases (no hash-order iteration, no clock);
/// - no state across `apply` calls: a batch may be applied again after an aborted transaction,
///   and a rebuild runs the same instance into a new generation. Keep caches local to one call.
public protocol Projection: Sendable {
    /// Stable, unique name, e.g. `.caseState`.
    var name: ViewName { get }
    /// Bump it when the view's content or layout changes: the view is rebuilt when the store opens.
    var version: Int { get }
    /// The databases the view consists of (created for each generation).
    var databases: [ViewDatabase] { get }
    /// Applies `batch.events` (seq order, all after the checkpoint) to the view. The batch's
    /// cases are indexed once for every projection it feeds (`batch.caseSlots`).
    func apply(_ batch: EventBatch, to view: ViewWriter) throws
}

/// A database a projection owns.
public struct ViewDatabase: Sendable, Hashable {
    public var name: String
    public var flags: DatabaseFlags
    public init(_ name: String, flags: DatabaseFlags = []) {
        self.name = name
        self.flags = flags
    }
}


/// One generation's databases of one projection, by name.
public struct ViewDatabases: Sendable {
    package let byName: [String: RawDatabase]

    package init(byName: [String: RawDatabase]) { self.byName = byName }

    /// The database named `name`, with the key and value types the caller reads it as.
    public func callAsFunction<K: LMDBBytes, V: LMDBBytes>(_ name: String, as: Database<K, V>.Type = Database<K, V>.self) -> Database<K, V> {
        guard let db = byName[name] else { preconditionFailure("database \(name) is not declared by the projection") }
        return db.retyped()
    }
}

/// What a projection writes with: the views' write transaction and its databases.
public struct ViewWriter {
    public let transaction: WriteTransaction
    public let databases: ViewDatabases

    package init(transaction: WriteTransaction, databases: ViewDatabases) {
        self.transaction = transaction
        self.databases = databases
    }
}

/// What a query reads with: a snapshot of the live generation's databases.
public struct ViewReader {
    public let transaction: ReadTransaction
    public let databases: ViewDatabases
    /// The last seq the view reflects.
    public let checkpoint: UInt64
}
