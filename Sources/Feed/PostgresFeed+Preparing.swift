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
    public static var eventColumns: [String] { EventRows.columns }

    /// The whole log as the `ledger_events` rows the feed ships (COPY text), `batchSize` events a
    /// piece. For the benchmark's plain COPY, the limit the feed is measured against.
    public static func eventRows(of store: EventStore, ledgerID: String, batchSize: Int) throws -> [ByteBuffer] {
        var pieces: [ByteBuffer] = []
        var writer = EventRows(ledgerID: ledgerID)
        var next: UInt64 = 1
        while true {
            var rows = CopyText(capacity: batchSize * 900)
            let read = try store.withEvents(from: next, limit: batchSize) { views in
                for view in views { try writer.write(view, into: &rows) }
                return views.count
            }
            guard read > 0 else { return pieces }
            pieces.append(rows.buffer)
            next += UInt64(read)
        }
    }
}

extension FeedReadModels {
    /// Brings the views up to the log's head; returns the seq they reflect.
    public func caughtUp() throws -> UInt64 { try catchUp() }
}
