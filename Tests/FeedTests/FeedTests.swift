import CaseDomain
import Foundation
import Ledger
import PostgresNIO
import Testing
import TestSupport

/// Every test ships into the one throwaway server (`scripts/postgres-test-cluster.sh`), each into a
/// database of its own; they run one at a time, since one of them restarts the server.
@Suite("Feed into PostgreSQL", .serialized, .enabled(if: TestPostgres.isConfigured, TestPostgres.skipReason))
struct FeedTests {}

/// What the database holds of one ledger.
struct ShippedLedger: Equatable {
    var events: Int64
    var maxSeq: Int64
    var checkpoint: Int64
    var modelsSeq: Int64
    var hash: String
}

extension TestDatabase {
    /// The ledger's shipped events and checkpoint; nil before the feed made its tables.
    func shipped(_ ledgerID: String) async throws -> ShippedLedger? {
        try await withConnection { connection -> ShippedLedger? in
            let exists = try await connection.query("SELECT to_regclass('feed_checkpoints') IS NOT NULL", logger: TestPostgres.logger)
            for try await present in exists.decode(Bool.self) where !present { return nil }
            let rows = try await connection.query("""
                SELECT (SELECT count(*) FROM ledger_events WHERE ledger_id = \(ledgerID)),
                       (SELECT coalesce(max(seq), 0) FROM ledger_events WHERE ledger_id = \(ledgerID)),
                       c.seq, c.models_seq, encode(c.hash, 'hex')
                FROM feed_checkpoints c WHERE c.ledger_id = \(ledgerID)
                """, logger: TestPostgres.logger)
            for try await (events, maxSeq, seq, modelsSeq, hash) in rows.decode((Int64, Int64, Int64, Int64, String).self) {
                return ShippedLedger(events: events, maxSeq: maxSeq, checkpoint: seq, modelsSeq: modelsSeq, hash: hash)
            }
            return nil
        }
    }

    /// Seqs the SQL continuity check finds broken.
    func chainBreaks(_ ledgerID: String) async throws -> [Int64] {
        try await withConnection { connection in
            var seqs: [Int64] = []
            for try await seq in try await connection.query(
                "SELECT seq FROM ledger_chain_breaks WHERE ledger_id = \(ledgerID) ORDER BY seq", logger: TestPostgres.logger)
                .decode(Int64.self) { seqs.append(seq) }
            return seqs
        }
    }

    /// Expects the whole log of the store in `district` shipped once: every seq, nothing twice,
    /// the checkpoint at the head with its hash, the chain intact in SQL, a state row per case.
    func expectShippedExactlyOnce(_ district: TemporaryDirectory, as ledgerID: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let store = try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true))
        let statistics = try store.statistics()
        let head = statistics.head
        let shipped = try #require(try await shipped(ledgerID), sourceLocation: sourceLocation)
        #expect(shipped == ShippedLedger(events: Int64(head.seq), maxSeq: Int64(head.seq), checkpoint: Int64(head.seq),
                                         modelsSeq: Int64(head.seq), hash: head.hash.hex), sourceLocation: sourceLocation)
        #expect(try await chainBreaks(ledgerID) == [], sourceLocation: sourceLocation)
        let cases = try await integer("SELECT count(*) FROM case_states WHERE ledger_id = '\(ledgerID)'")
        // The demo's streams: its cases, the catalog and the ADMIN stream of the 首席服务员's grants.
        #expect(cases == Int64(statistics.streams - 2), "every case but the catalog and ADMIN streams", sourceLocation: sourceLocation)
        // Each case's row is as of its last event or later (rounds rewrite only the cases they touched).
        let stale = try await integer("""
            SELECT count(*) FROM case_states c JOIN (
                SELECT case_number, max(seq) AS seq, max(version) AS version FROM ledger_events
                WHERE ledger_id = '\(ledgerID)' GROUP BY case_number) e USING (case_number)
            WHERE c.ledger_id = '\(ledgerID)' AND (c.as_of_seq < e.seq OR c.as_of_seq > \(head.seq) OR c.version <> e.version)
            """)
        #expect(stale == 0, "case states behind their cases' events", sourceLocation: sourceLocation)
    }
}
