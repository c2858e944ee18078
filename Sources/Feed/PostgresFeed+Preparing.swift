import Ledger
import PostgresNIO

extension PostgresFeed {
    /// Applies the schema migrations and creates this ledger's partitions and checkpoint row,
    /// shipping nothing (the feed does this itself on every start).
    public func prepareDatabase() async throws {
        let (connection, _) = try await connect()
        try? await connection.close()
    }

    /// The `ledger_events` columns the feed COPYs, in order.
    public static var eventColumns: [String] { EventRow.columns }

    /// The whole log as the `ledger_events` rows the feed ships (COPY text), `batchSize` events a
    /// piece. For the benchmark's plain COPY, the limit the feed is measured against.
    public static func eventRows(of store: EventStore, ledgerID: String, batchSize: Int) throws -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var rows = CopyText(capacity: batchSize * 1_200)
        var next: UInt64 = 1
        while true {
            let read = try store.withEvents(from: next, limit: batchSize) { views in
                for view in views { try EventRow.write(view, ledgerID: ledgerID, into: &rows) }
                return views.count
            }
            guard read > 0 else { return pieces }
            pieces.append(rows.bytes)
            rows.removeAll()
            next += UInt64(read)
        }
    }
}

extension FeedReadModels {
    /// Brings the views up to the log's head; returns the seq they reflect.
    public func caughtUp() throws -> UInt64 { try catchUp() }
}
