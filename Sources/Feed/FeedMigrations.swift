import Ledger
import Logging
import PostgresNIO

/// Brings a database to the feed's schema and makes a ledger's partitions and checkpoint row.
enum FeedMigrations {
    /// Applies the migrations the database lacks, creates `ledgerID`'s partitions and its
    /// checkpoint row (seq 0, the genesis hash), under an advisory lock.
    static func prepare(_ connection: PostgresConnection, ledgerID: String, logger: Logger) async throws {
        try FeedError.validate(ledgerID: ledgerID)
        try await connection.query("SELECT pg_advisory_lock(\(FeedSchema.lockKey))", logger: logger)
        do {
            try await migrate(connection, logger: logger)
            try await connection.query("BEGIN", logger: logger)
            for table in FeedSchema.partitionedTables {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(FeedSchema.partition(table, ledgerID))
                    PARTITION OF \(table) FOR VALUES IN ('\(ledgerID)')
                    """), logger: logger)
            }
            let genesis = ByteBuffer(bytes: ChainHash.genesis.bytes)
            try await connection.query("""
                INSERT INTO feed_checkpoints (ledger_id, seq, hash, models_seq) VALUES (\(ledgerID), 0, \(genesis), 0)
                ON CONFLICT (ledger_id) DO NOTHING
                """, logger: logger)
            try await connection.query("COMMIT", logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(FeedSchema.lockKey))", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(FeedSchema.lockKey))", logger: logger)
            throw error
        }
    }

    /// Applies each missing migration in a transaction of its own, with its `schema_migrations` row.
    private static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: FeedSchema.migrationsTable), logger: logger)
        var applied = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
            .decode(Int32.self) {
            applied.insert(Int(version))
        }
        let known = FeedSchema.migrations.map(\.version).max() ?? 0
        if let newest = applied.max(), newest > known { throw FeedError.schemaTooNew(database: newest, known: known) }
        for migration in FeedSchema.migrations where !applied.contains(migration.version) {
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name) VALUES (\(Int32(migration.version)), \(migration.name))
                    """, logger: logger)
                try await connection.query("COMMIT", logger: logger)
                logger.info("applied feed schema migration \(migration.version): \(migration.name)")
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
