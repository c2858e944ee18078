/// The feed's schema in PostgreSQL, as numbered migrations. The feed applies the ones a database
/// lacks, each in its own transaction with its row in `schema_migrations`, under an advisory lock
/// so that two feeds starting together apply each once. Never edit a released migration: add one.
/// `Docs/FEED.md` describes every table and view.
enum FeedSchema {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let sql: [String]
    }

    /// The advisory lock key the feed takes while it migrates or creates partitions.
    static let lockKey: Int64 = 0x6C65_6467_6572_6664  // "ledgerfd"

    static let migrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())
        """

    static let migrations: [Migration] = [
        Migration(version: 1, name: "ledger tables, partitioned by ledger id", sql: [
            """
            CREATE TABLE feed_checkpoints (
                ledger_id text PRIMARY KEY,
                seq bigint NOT NULL,
                hash bytea NOT NULL,
                models_seq bigint NOT NULL,
                shipped_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE ledger_events (
                ledger_id text NOT NULL,
                seq bigint NOT NULL,
                case_number text NOT NULL,
                version integer NOT NULL,
                type text NOT NULL,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                event jsonb NOT NULL,
                record bytea NOT NULL,
                hash bytea NOT NULL,
                PRIMARY KEY (ledger_id, seq)
            ) PARTITION BY LIST (ledger_id)
            """,
            """
            CREATE TABLE case_states (
                ledger_id text NOT NULL,
                case_number text NOT NULL,
                status text NOT NULL,
                item text,
                channel text,
                window_id text,
                accepted_at timestamptz,
                completed_at timestamptz,
                legal_days integer,
                promised_days integer,
                deadline date,
                extension_days integer NOT NULL,
                suspensions integer NOT NULL,
                visits integer NOT NULL,
                materials_reduced integer NOT NULL,
                assisted boolean NOT NULL,
                reviews integer NOT NULL,
                last_review_level integer,
                version integer NOT NULL,
                last_event_at timestamptz,
                as_of_seq bigint NOT NULL,
                PRIMARY KEY (ledger_id, case_number)
            ) PARTITION BY LIST (ledger_id)
            """,
            """
            CREATE TABLE report_rows (
                ledger_id text NOT NULL,
                report text NOT NULL,
                period text NOT NULL,
                dimension text NOT NULL,
                key text NOT NULL,
                label text NOT NULL,
                figures jsonb NOT NULL,
                as_of_seq bigint NOT NULL,
                PRIMARY KEY (ledger_id, report, period, dimension, key)
            ) PARTITION BY LIST (ledger_id)
            """,
            """
            CREATE TABLE gold_windows (
                ledger_id text NOT NULL,
                quarter text NOT NULL,
                window_id text NOT NULL,
                name text,
                score double precision NOT NULL,
                rank integer,
                gold boolean NOT NULL,
                completed integer NOT NULL,
                disqualification text,
                breakdown jsonb NOT NULL,
                as_of_seq bigint NOT NULL,
                PRIMARY KEY (ledger_id, quarter, window_id)
            ) PARTITION BY LIST (ledger_id)
            """,
        ]),
        Migration(version: 2, name: "typed report views and city-wide figures", sql: [
            """
            CREATE VIEW processing_time AS
            SELECT ledger_id, period, dimension, key, label, as_of_seq,
                   (figures->>'completed')::integer AS completed,
                   (figures->>'onTime')::integer AS on_time,
                   (figures->>'overdue')::integer AS overdue,
                   (figures->>'onTimeRate')::double precision AS on_time_rate,
                   (figures->>'immediate')::integer AS immediate,
                   (figures->>'immediateShare')::double precision AS immediate_share,
                   (figures->>'averageEffectiveDays')::double precision AS average_effective_days,
                   (figures->>'effectiveDaysWithLegalLimit')::integer AS effective_days_with_legal_limit,
                   (figures->>'legalDays')::integer AS legal_days,
                   (figures->>'actualCompression')::double precision AS actual_compression,
                   (figures->>'catalogCompression')::double precision AS catalog_compression,
                   (figures->>'extended')::integer AS extended,
                   (figures->>'suspended')::integer AS suspended
            FROM report_rows WHERE report = 'processingTime'
            """,
            """
            CREATE VIEW convenience AS
            SELECT ledger_id, period, dimension, key, label, as_of_seq,
                   (figures->>'completed')::integer AS completed,
                   (figures->>'atMostOneVisit')::integer AS at_most_one_visit,
                   (figures->>'zeroVisits')::integer AS zero_visits,
                   (figures->>'fullyOnline')::integer AS fully_online,
                   (figures->>'materialsWaived')::integer AS materials_waived,
                   (figures->>'crossRegion')::integer AS cross_region,
                   (figures->>'assisted')::integer AS assisted,
                   (figures->>'averageVisits')::double precision AS average_visits
            FROM report_rows WHERE report = 'convenience'
            """,
            """
            CREATE VIEW evaluations AS
            SELECT ledger_id, period, dimension, key, label, as_of_seq,
                   (figures->>'reviews')::integer AS reviews,
                   (figures->>'goodReviews')::integer AS good_reviews,
                   (figures->>'goodReviewRate')::double precision AS good_review_rate,
                   (figures->>'score')::double precision AS score,
                   (figures->>'badReviews')::integer AS bad_reviews,
                   (figures->>'rectifiedInTime')::integer AS rectified_in_time,
                   (figures->>'rectifiedLate')::integer AS rectified_late,
                   (figures->>'unrectified')::integer AS unrectified,
                   (figures->>'rectificationRate')::double precision AS rectification_rate,
                   (figures->>'callBacksInTime')::integer AS call_backs_in_time,
                   (figures->>'completed')::integer AS completed,
                   (figures->>'evaluatedCompleted')::integer AS evaluated_completed,
                   (figures->>'evaluationRate')::double precision AS evaluation_rate
            FROM report_rows WHERE report = 'evaluations'
            """,
            // City-wide: sums of the districts' counts, ratios recomputed from the sums.
            """
            CREATE VIEW city_processing_time_by_quarter AS
            SELECT key AS quarter, count(*) AS districts,
                   sum(completed) AS completed, sum(on_time) AS on_time,
                   sum(on_time)::double precision / nullif(sum(completed), 0) AS on_time_rate,
                   1 - sum(effective_days_with_legal_limit)::double precision / nullif(sum(legal_days), 0) AS actual_compression
            FROM processing_time WHERE period = 'all' AND dimension = 'quarter' AND key <> ''
            GROUP BY key
            """,
            """
            CREATE VIEW city_evaluations_by_quarter AS
            SELECT key AS quarter, count(*) AS districts,
                   sum(reviews) AS reviews, sum(good_reviews) AS good_reviews,
                   sum(good_reviews)::double precision / nullif(sum(reviews), 0) AS good_review_rate
            FROM evaluations WHERE period = 'all' AND dimension = 'quarter' AND key <> ''
            GROUP BY key
            """,
            // Continuity: each shipped record must link to the hash shipped before it and hash to its own.
            """
            CREATE VIEW ledger_chain_breaks AS
            SELECT ledger_id, seq,
                   CASE WHEN previous_seq IS DISTINCT FROM seq - 1 AND seq > 1 THEN 'gap'
                        WHEN substring(record FROM length(record) - 63 FOR 32) <> previous_hash THEN 'broken link'
                        ELSE 'hash mismatch' END AS problem
            FROM (SELECT ledger_id, seq, record, hash,
                         lag(seq) OVER w AS previous_seq,
                         coalesce(lag(hash) OVER w, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS previous_hash
                  FROM ledger_events WINDOW w AS (PARTITION BY ledger_id ORDER BY seq)) e
            WHERE (previous_seq IS DISTINCT FROM seq - 1 AND seq > 1)
               OR (previous_seq IS NULL AND seq <> 1)
               OR substring(record FROM length(record) - 63 FOR 32) <> previous_hash
               OR sha256(previous_hash || substring(record FROM 1 FOR length(record) - 64)) <> hash
               OR substring(record FROM length(record) - 31 FOR 32) <> hash
            """,
        ]),
    ]

    /// The tables partitioned by ledger id; the feed creates each one's partition for its ledger.
    static let partitionedTables = ["ledger_events", "case_states", "report_rows", "gold_windows"]

    /// A partition's name: the table's, then the ledger id (ids are `[A-Za-z0-9_-]`, quoted).
    static func partition(_ table: String, _ ledgerID: String) -> String { "\"\(table)_\(ledgerID)\"" }
}
