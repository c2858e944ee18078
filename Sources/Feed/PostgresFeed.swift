import CaseDomain
import Foundation
import Ledger
import Logging
import PostgresNIO

/// What one round of shipping did.
public struct FeedRound: Sendable, Equatable {
    /// The checkpoint after the round: the last shipped seq and its chain hash.
    public var shipped: ChainDigest
    /// Events shipped in the round.
    public var events: Int
    /// Transactions committed.
    public var batches: Int
}

/// Ships one district's ledger into PostgreSQL, in order and exactly once.
///
/// Each batch — the events after the checkpoint, and in a round's last batch the read models as
/// of its last event — commits in ONE PostgreSQL transaction together with the new checkpoint
/// (ledger id, seq, chain hash). A kill of the feed or of PostgreSQL at any moment leaves the
/// database at the last committed checkpoint, and the next run resumes after it. Every shipped
/// record is re-hashed and must link to the hash shipped before it: a log that does not extend
/// the digest shipped last is refused, and nothing of it is written.
public final class PostgresFeed: Sendable {
    public let store: EventStore
    public let ledgerID: String
    /// The city's copy's lag behind the log (for `/metrics`).
    public let lag: FeedLag
    let models: FeedReadModels
    let configuration: PostgresConnection.Configuration
    let batchSize: Int
    let timeouts: FeedTimeouts
    let logger: Logger

    /// - Parameters:
    ///   - batchSize: events per transaction (the last of a round also carries the read models).
    ///   - timeouts: how long PostgreSQL may take to answer before the connection counts as dead.
    public init(store: EventStore, models: FeedReadModels, ledgerID: String,
                configuration: PostgresConnection.Configuration, batchSize: Int = 50_000,
                timeouts: FeedTimeouts = FeedTimeouts(),
                logger: Logger = Logger(label: "ledger.feed")) throws(FeedError) {
        try FeedError.validate(ledgerID: ledgerID)
        self.store = store
        self.models = models
        self.ledgerID = ledgerID
        self.configuration = configuration
        self.batchSize = max(1, batchSize)
        self.timeouts = timeouts
        self.logger = logger
        lag = FeedLag(ledgerID: ledgerID)
    }

    /// A feed to the database at `url` (`postgres://user[:password]@host[:port]/database`).
    public convenience init(store: EventStore, models: FeedReadModels, ledgerID: String, url: String,
                            batchSize: Int = 50_000, timeouts: FeedTimeouts = FeedTimeouts(),
                            logger: Logger = Logger(label: "ledger.feed")) throws(FeedError) {
        try self.init(store: store, models: models, ledgerID: ledgerID,
                      configuration: try PostgresConnection.Configuration(feedURL: url), batchSize: batchSize,
                      timeouts: timeouts, logger: logger)
    }

    /// Checks a database URL.
    public static func validate(url: String) throws(FeedError) {
        _ = try PostgresConnection.Configuration(feedURL: url)
    }

    /// The ledger id a district's log calls itself: the prefix of its first case number
    /// (`LZH` for `LZH-2023-000001`).
    public static func ledgerID(of store: EventStore) throws -> String {
        var found: String?
        try store.scan(from: 1) { view in
            let caseNumber = view.caseNumber
            guard !caseNumber.isReferenceStream else { return true }
            found = caseNumber.rawValue.split(separator: "-", maxSplits: 1).first.map(String.init)
            return false
        }
        guard let found else { throw FeedError.noLedgerID }
        try FeedError.validate(ledgerID: found)
        return found
    }

    // MARK: Running

    /// Ships everything the log holds now, then returns.
    @discardableResult
    public func shipAvailable() async throws -> FeedRound {
        let (connection, watch) = try await connect()
        do {
            let round = try await connection.failingWhenClosed(watch: watch) { [self] in try await shipRound(connection, watch: watch) }
            try? await connection.close()
            return round
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Keeps shipping as the log grows, until the task is cancelled: then the batch in flight
    /// commits (or, with the connection gone, rolls back) and it returns. A lost, unreachable or
    /// silent PostgreSQL is retried after `retryInterval`, doubling up to `maxRetryInterval`
    /// (`lag.health` says so meanwhile); a refused log or a schema error ends it. Appends through
    /// this store wake it at once (the store's commit notification); other processes' appends are
    /// seen within `pollInterval`.
    public func follow(pollInterval: Duration = .milliseconds(200), retryInterval: Duration = .seconds(1),
                       maxRetryInterval: Duration = .seconds(30),
                       onRound: (@Sendable (FeedRound) -> Void)? = nil) async throws {
        var delay = retryInterval
        while !Task.isCancelled {
            let connection: PostgresConnection, watch: StallWatch
            do { (connection, watch) = try await connect() } catch {
                if Task.isCancelled { return }
                try noteFailure(error)
                logger.warning("cannot reach PostgreSQL, retrying in \(delay): \(FeedError.line(for: error, url: redactedURL))")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, maxRetryInterval)
                continue
            }
            do {
                while !Task.isCancelled {
                    let round = try await connection.failingWhenClosed(watch: watch) { [self] in
                        try await shipRound(connection, watch: watch)
                    }
                    lag.recover()
                    delay = retryInterval
                    onRound?(round)
                    await waitForAppend(after: round.shipped.seq, pollInterval: pollInterval, connection: connection)
                }
                try? await connection.close()
            } catch {
                try? await connection.close()
                if Task.isCancelled { return }
                try noteFailure(error)
                logger.warning("lost PostgreSQL, reconnecting in \(delay): \(FeedError.line(for: error, url: redactedURL))")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, maxRetryInterval)
            }
        }
    }

    /// Follows until the task is cancelled and never throws, for a feed inside a server: what
    /// would end `follow()` (a refused log, PostgreSQL refusing the feed) is logged, shown by
    /// `lag.health`, and retried after `retryInterval`, doubling up to `maxRetryInterval`.
    public func keepFollowing(pollInterval: Duration = .seconds(1), retryInterval: Duration = .seconds(1),
                              maxRetryInterval: Duration = .seconds(30)) async {
        var delay = retryInterval
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await follow(pollInterval: pollInterval, retryInterval: retryInterval, maxRetryInterval: maxRetryInterval)
                return
            } catch {
                if Task.isCancelled { return }
                if ContinuousClock.now - started > maxRetryInterval { delay = retryInterval }
                logger.error("the feed of \(ledgerID) stopped, retrying in \(delay): \(FeedError.line(for: error, url: redactedURL))")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, maxRetryInterval)
            }
        }
    }

    /// Records a failed attempt in `lag`; rethrows an error a retry cannot mend.
    private func noteFailure(_ error: any Error) throws {
        let line = FeedError.line(for: error, url: redactedURL)
        guard Self.isConnectionLoss(error) else {
            lag.fail(.failing(line))
            throw error
        }
        lag.fail(.unreachable(line))
    }

    /// The database as messages name it (no password).
    var redactedURL: String {
        "postgres://\(configuration.username)@\(configuration.host ?? "localhost"):\(configuration.port ?? 5432)/\(configuration.database ?? "")"
    }

    /// Whether `error` is the connection's, not the feed's (worth a retry).
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? FeedError {
            if case .stalled = error { return true }
            return error == .connectionLost
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
            case .server:
                // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57014
                // query_canceled (statement_timeout), 25P03 idle_in_transaction_session_timeout.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("57") || state.hasPrefix("08") || state == "25P03"
            default: return false
            }
        }
        return error is IOError || error is ChannelError || error is NIOConnectionError
    }

    /// Returns when the log's head passes `seq`, the connection closed (keepalive found the peer
    /// gone: the next round fails at once and reconnects; looked at every `pollInterval`), or the
    /// task is cancelled.
    private func waitForAppend(after seq: UInt64, pollInterval: Duration, connection: PostgresConnection) async {
        while !Task.isCancelled, !connection.isClosed {
            if let head = try? store.digest().seq, head > seq {
                lag.update(head: head)
                return
            }
            // Appends through this store wake the wait at once; another process's are polled.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.store.waitForAppend(after: seq) }
                group.addTask { try? await Task.sleep(for: pollInterval) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// A connection with its schema migrated and this ledger's partitions made, and the deadline
    /// that guards its exchanges.
    func connect() async throws -> (PostgresConnection, StallWatch) {
        let connection = try await PostgresConnection.connectWatched(configuration: configuration, timeouts: timeouts,
                                                                    applicationName: "ledger feed \(ledgerID)", logger: logger)
        let watch = StallWatch(connection, timeout: timeouts.transaction)
        do {
            try await connection.failingWhenClosed(watch: watch) { [self] in
                try await watch.guarding {
                    try await FeedMigrations.prepare(connection, ledgerID: ledgerID, logger: logger)
                }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return (connection, watch)
    }

    // MARK: One round

    /// Ships the log from the checkpoint to the head the views reached, in batches; when the task
    /// is cancelled, stops after the batch in flight (the read models then wait for the next round).
    ///
    /// A pipeline: while PostgreSQL takes one batch (its COPY, its checkpoint, its commit), the
    /// next is read from the log, re-hashed and written as COPY rows; beside them the views catch
    /// up and the round's read-model rows are made, ready for its last batch. Only this work runs
    /// ahead: the transactions commit one at a time, in order, each checking that the checkpoint
    /// is still the one it follows, and what was made for a batch never committed is dropped.
    func shipRound(_ connection: PostgresConnection, watch: StallWatch) async throws -> FeedRound {
        // The views catch up to the log's head (this one or a later one) while the events ship.
        let logHead = try store.digest().seq
        let views = Task { [models] in try models.catchUp() }
        do {
            let round = try await shipRound(connection, watch: watch, logHead: logHead, views: views)
            _ = try? await views.value
            return round
        } catch {
            // Never left catching up behind the next round (or behind a caller that closes the views).
            _ = try? await views.value
            throw error
        }
    }

    /// The round, given the log's head as read before the views started catching up (`views`
    /// reaches it or a later seq).
    func shipRound(_ connection: PostgresConnection, watch: StallWatch, logHead: UInt64,
                   views: Task<UInt64, any Error>) async throws -> FeedRound {
        lag.update(head: logHead)
        let checkpoint = try await watch.guarding { try await FeedCheckpoint.read(connection, ledgerID: ledgerID, logger: logger) }
        try checkExtends(checkpoint.digest)
        lag.update(shipped: checkpoint.digest.seq)
        var round = FeedRound(shipped: checkpoint.digest, events: 0, batches: 0)
        var head = logHead
        if checkpoint.digest.seq >= head {
            head = try await views.value
            lag.update(head: head)
            guard checkpoint.digest.seq < head || checkpoint.modelsSeq < head else { return round }
        }

        let readModels = readModelsTask(checkpoint, views: views)
        var shipped = checkpoint.digest
        var next: Task<EncodedBatch, any Error>? = encodingTask(after: shipped, head: head)
        do {
            while let encoding = next {
                let batch = try await encoding.value
                var final: ReadModelRows?
                if batch.last.seq == head {
                    let made = try await readModels.value
                    guard made.seq >= head else {
                        throw FeedError.logDoesNotExtendShipped(ledgerID: ledgerID, shipped: batch.last,
                                                                problem: "the log ends at seq \(made.seq): truncated")
                    }
                    if made.seq > head {
                        // The log grew while the views caught up: ship up to where they are.
                        head = made.seq
                        lag.update(head: head)
                    } else {
                        final = made.rows
                    }
                }
                next = final == nil ? encodingTask(after: batch.last, head: head) : nil
                // A task of its own, so that a cancellation (SIGTERM in --follow) lets the batch finish.
                let (previous, readModelRows, modelsSeq) = (shipped, final, final == nil ? checkpoint.modelsSeq : head)
                try await watch.guarding {
                    try await Task { [self] in
                        try await commit(connection, after: previous, events: batch.rows, through: batch.last,
                                         readModels: readModelRows, modelsSeq: modelsSeq)
                    }.value
                }
                round.events += Int(batch.last.seq - shipped.seq)
                round.batches += 1
                lag.shippedBatch(events: Int(batch.last.seq - shipped.seq))
                shipped = batch.last
                round.shipped = batch.last
                lag.update(shipped: batch.last.seq)
                if Task.isCancelled { break }
            }
        } catch {
            await Self.abandon(next)
            await Self.abandon(readModels)
            throw error
        }
        await Self.abandon(next)
        await Self.abandon(readModels)
        return round
    }

    /// Stops work made ahead that will not be shipped, and waits until it no longer reads the
    /// log or the views.
    private static func abandon<T>(_ work: Task<T, any Error>?) async {
        work?.cancel()
        _ = try? await work?.value
    }

    /// A batch of events as COPY rows, with the digest at its last event.
    struct EncodedBatch: Sendable {
        var rows: CopyText
        var last: ChainDigest
    }

    /// Reads, re-hashes and encodes the batch after `previous` (at most `batchSize` events, none
    /// when the log ends there) in a task of its own.
    private func encodingTask(after previous: ChainDigest, head: UInt64) -> Task<EncodedBatch, any Error> {
        let last = min(head, previous.seq + UInt64(batchSize))
        return Task { [self] in
            var batch = EncodedBatch(rows: CopyText(capacity: Int(last - previous.seq) * 900), last: previous)
            if previous.seq < last {
                batch.last = try encodeEvents(after: previous, through: last, into: &batch.rows)
            }
            return batch
        }
    }

    /// Once the views caught up, the read-model rows of the round's last batch, in a task of its
    /// own: the state of every case with an event after the models shipped last, and the report
    /// and 金牌窗口 rows, as of the seq the views reached. They are shipped only with the batch
    /// that ends at that seq, after each event up to it has been re-hashed and linked.
    private func readModelsTask(_ checkpoint: FeedCheckpoint,
                                views: Task<UInt64, any Error>) -> Task<(seq: UInt64, rows: ReadModelRows), any Error> {
        Task { [self] in
            let seq = try await views.value
            guard seq >= checkpoint.digest.seq else {
                throw FeedError.logDoesNotExtendShipped(ledgerID: ledgerID, shipped: checkpoint.digest,
                                                        problem: "the log ends at seq \(seq): truncated")
            }
            // Cases whose state the database does not have yet: those of events after the models' seq.
            var cases = Set<String>()
            if checkpoint.modelsSeq < seq {
                try collectCases(from: checkpoint.modelsSeq + 1, through: seq, into: &cases)
            }
            var rows = ReadModelRows(cases: Array(cases))
            try models.caseStateRows(cases, ledgerID: ledgerID, seq: seq, into: &rows.caseStates)
            try models.reportRows(ledgerID: ledgerID, seq: seq, into: &rows.reports)
            try models.goldWindowRows(ledgerID: ledgerID, seq: seq, into: &rows.goldWindows)
            return (seq, rows)
        }
    }

    /// Refuses a log whose record at the checkpoint's seq is missing or has another hash.
    private func checkExtends(_ shipped: ChainDigest) throws {
        guard shipped.seq > 0 else { return }
        let found = try store.withEvents(from: shipped.seq, limit: 1) { views in
            views.first.map { ($0.seq, $0.hash) }
        }
        guard let (seq, hash) = found, seq == shipped.seq else {
            let head = try store.digest().seq
            throw FeedError.logDoesNotExtendShipped(ledgerID: ledgerID, shipped: shipped,
                                                    problem: "the log ends at seq \(head): truncated")
        }
        guard hash == shipped.hash else {
            throw FeedError.logDoesNotExtendShipped(ledgerID: ledgerID, shipped: shipped,
                                                    problem: "its hash at seq \(seq) is \(hash.hex): history rewritten")
        }
    }

    private func collectCases(from first: UInt64, through last: UInt64, into touched: inout Set<String>) throws {
        try store.scan(from: first) { view in
            guard view.seq <= last else { return false }
            touched.insert(String(decoding: view.caseBytes, as: UTF8.self))
            return true
        }
    }

    /// COPY rows of the events after `previous` through `last`, each re-hashed and linked.
    private func encodeEvents(after previous: ChainDigest, through last: UInt64, into rows: inout CopyText) throws -> ChainDigest {
        try store.withEvents(from: previous.seq + 1, limit: Int(last - previous.seq)) { views in
            var digest = previous
            var writer = EventRows(ledgerID: ledgerID)
            for view in views {
                if view.seq & 4095 == 0, Task.isCancelled { throw CancellationError() }
                guard view.seq == digest.seq + 1 else {
                    throw FeedError.brokenChain(ledgerID: ledgerID, seq: digest.seq + 1, problem: "is missing from the log")
                }
                guard view.previousHash == digest.hash else {
                    throw FeedError.brokenChain(ledgerID: ledgerID, seq: view.seq,
                                                problem: "does not link to the hash of seq \(digest.seq)")
                }
                let hash = digest.hash.linking(view.body)
                guard hash == view.hash else {
                    throw FeedError.brokenChain(ledgerID: ledgerID, seq: view.seq, problem: "does not match its hash (altered)")
                }
                try writer.write(view, into: &rows)
                digest = ChainDigest(seq: view.seq, hash: hash)
            }
            guard digest.seq == last else {
                throw FeedError.brokenChain(ledgerID: ledgerID, seq: digest.seq + 1, problem: "is missing from the log")
            }
            return digest
        }
    }

    /// One transaction: the events, the read models when given, and the checkpoint.
    private func commit(_ connection: PostgresConnection, after previous: ChainDigest, events: CopyText,
                        through last: ChainDigest, readModels: ReadModelRows?, modelsSeq: UInt64) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            let locked = try await FeedCheckpoint.lock(connection, ledgerID: ledgerID, logger: logger)
            guard locked.seq == previous.seq else {
                throw FeedError.checkpointMoved(ledgerID: ledgerID, expected: previous.seq, found: locked.seq)
            }
            if !events.isEmpty {
                try await copy(connection, table: "ledger_events", columns: EventRows.columns, rows: events)
            }
            if let readModels {
                // Read models never shipped (models_seq 0, read under the row's lock): the ledger
                // has no case states to replace, so a first run only COPYs its cases.
                if locked.modelsSeq > 0 {
                    try await connection.query("""
                        DELETE FROM case_states WHERE ledger_id = \(ledgerID) AND case_number = ANY(\(readModels.cases))
                        """, logger: logger)
                }
                try await copy(connection, table: "case_states", columns: ReadModelRows.caseStateColumns, rows: readModels.caseStates)
                try await connection.query("DELETE FROM report_rows WHERE ledger_id = \(ledgerID)", logger: logger)
                try await copy(connection, table: "report_rows", columns: ReadModelRows.reportColumns, rows: readModels.reports)
                try await connection.query("DELETE FROM gold_windows WHERE ledger_id = \(ledgerID)", logger: logger)
                try await copy(connection, table: "gold_windows", columns: ReadModelRows.goldWindowColumns, rows: readModels.goldWindows)
            }
            try await FeedCheckpoint.write(connection, ledgerID: ledgerID, digest: last, modelsSeq: modelsSeq, logger: logger)
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// COPYs the rows in ONE write, then ends the COPY. postgres-nio waits for the socket to
    /// drain before each write but the first, and that wait is lost (a hang) or reaches a
    /// precondition (a crash) when the server dies meanwhile; after the last write the COPY is
    /// past that state, and a server that dies is a plain error.
    ///
    /// The rows go straight into this ledger's partition of `table` (the feed made it on
    /// connecting), which spares PostgreSQL routing each row; a row of another ledger would be
    /// refused by the partition's bound, as by the table's.
    private func copy(_ connection: PostgresConnection, table: String, columns: [String], rows: CopyText) async throws {
        guard !rows.isEmpty else { return }
        // A COPY started on a connection already closed leaks postgres-nio's continuation (its
        // request is dropped with the write), which the runtime reports on stderr.
        guard !connection.isClosed else { throw FeedError.connectionLost }
        let buffer = rows.buffer
        // postgres-nio quotes the name itself.
        try await connection.copyFrom(table: "\(table)_\(ledgerID)", columns: columns, logger: logger) { writer in
            try await writer.write(buffer)
        }
    }
}

/// The read-model rows a round's last batch replaces.
struct ReadModelRows: Sendable {
    var cases: [String]
    var caseStates = CopyText(capacity: 1 << 16)
    var reports = CopyText(capacity: 1 << 16)
    var goldWindows = CopyText(capacity: 1 << 12)

    static let caseStateColumns = [
        "ledger_id", "case_number", "status", "item", "channel", "window_id", "accepted_at", "completed_at",
        "legal_days", "promised_days", "deadline", "extension_days", "suspensions", "visits", "materials_reduced",
        "assisted", "reviews", "last_review_level", "version", "last_event_at", "as_of_seq",
    ]
    static let reportColumns = ["ledger_id", "report", "period", "dimension", "key", "label", "figures", "as_of_seq"]
    static let goldWindowColumns = [
        "ledger_id", "quarter", "window_id", "name", "score", "rank", "gold", "completed", "disqualification",
        "breakdown", "as_of_seq",
    ]
}
