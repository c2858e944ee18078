import Metrics
import Synchronization

/// How far the city's copy is behind the district's log and whether the feed can reach
/// PostgreSQL, readable at any time (a server's `/metrics` reads it), and reported through
/// swift-metrics as gauges labelled with the ledger id: `ledger_feed_lag_events` (events appended
/// but not yet shipped) and `ledger_feed_shipped_seq`.
public final class FeedLag: Sendable {
    private let shippedSeq = Atomic<UInt64>(0)
    private let headSeq = Atomic<UInt64>(0)
    private let shippedBatches = Atomic<Int>(0)
    private let shippedEvents = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let state = Mutex(State())
    private let lagGauge: Gauge
    private let shippedGauge: Gauge

    private struct State {
        var health = FeedHealth.shipping
        /// When the log's head was first seen at each seq not yet shipped, oldest first.
        var sightings: [(seq: UInt64, since: ContinuousClock.Instant)] = []
        /// The first commit not yet sighted (told by the store's commit hook, when the feed has one).
        var unsightedSince: ContinuousClock.Instant?
    }

    public init(ledgerID: String) {
        lagGauge = Gauge(label: "ledger_feed_lag_events", dimensions: [("ledger_id", ledgerID)])
        shippedGauge = Gauge(label: "ledger_feed_shipped_seq", dimensions: [("ledger_id", ledgerID)])
    }

    /// The last seq committed to PostgreSQL.
    public var shipped: UInt64 { shippedSeq.load(ordering: .relaxed) }
    /// The log's last seq when last looked at.
    public var head: UInt64 { headSeq.load(ordering: .relaxed) }
    /// Events in the log not yet in PostgreSQL.
    public var events: UInt64 {
        let (head, shipped) = (head, shipped)
        return head > shipped ? head - shipped : 0
    }
    /// Transactions committed and events shipped by this feed since it started.
    public var batchesShipped: Int { shippedBatches.load(ordering: .relaxed) }
    public var eventsShipped: Int { shippedEvents.load(ordering: .relaxed) }
    /// Attempts that ended in an error (each followed by a retry when the feed keeps following).
    public var errors: Int { failures.load(ordering: .relaxed) }
    /// Whether the last attempt reached PostgreSQL and shipped, and if not, why.
    public var health: FeedHealth { state.withLock { $0.health } }

    /// How long the oldest event not yet shipped has waited: from when it was committed (with
    /// `noteCommit()` called by the store's commit hook) or first seen by the feed; 0 when none waits.
    public func seconds(at now: ContinuousClock.Instant = .now) -> Double {
        let shipped = shipped
        guard events > 0 else { return 0 }
        let since = state.withLock { state in state.sightings.first { $0.seq > shipped }?.since }
        guard let since else { return 0 }
        let waited = now - since
        return Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
    }

    /// Tells the lag that the log committed something (call it from `EventStore.observeCommits`).
    public func noteCommit(at now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            if state.unsightedSince == nil { state.unsightedSince = now }
        }
    }

    /// Tells the lag the log's head (a scrape reads the store's digest; the feed does each round).
    public func observe(head: UInt64) {
        update(head: head)
    }

    func update(shipped: UInt64? = nil, head: UInt64? = nil) {
        if let shipped { shippedSeq.store(shipped, ordering: .relaxed) }
        if let head {
            let previous = headSeq.load(ordering: .relaxed)
            if head > previous { headSeq.store(head, ordering: .relaxed) }
        }
        let (seenHead, seenShipped) = (self.head, self.shipped)
        state.withLock { state in
            if seenHead > (state.sightings.last?.seq ?? seenShipped) {
                state.sightings.append((seenHead, state.unsightedSince ?? .now))
                state.unsightedSince = nil
            }
            state.sightings.removeAll { $0.seq <= seenShipped }
            if seenHead <= seenShipped { state.unsightedSince = nil }
        }
        lagGauge.record(Double(events))
        shippedGauge.record(Double(self.shipped))
    }

    func shippedBatch(events: Int) {
        shippedBatches.add(1, ordering: .relaxed)
        shippedEvents.add(events, ordering: .relaxed)
    }

    func recover() {
        state.withLock { $0.health = .shipping }
    }

    func fail(_ health: FeedHealth) {
        failures.add(1, ordering: .relaxed)
        state.withLock { $0.health = health }
    }
}

/// Whether a feed is getting through to PostgreSQL.
public enum FeedHealth: Sendable, Equatable {
    /// Its last attempt reached PostgreSQL (it ships, or waits for appends).
    case shipping
    /// It cannot reach PostgreSQL, or lost it, or PostgreSQL stopped answering; it retries.
    case unreachable(String)
    /// PostgreSQL or the log refused it (a rewritten log, a schema too new, another feed of the
    /// same ledger); a feed that keeps following retries, an operator has to look.
    case failing(String)

    public var isUnreachable: Bool { if case .unreachable = self { true } else { false } }
    public var isFailing: Bool { if case .failing = self { true } else { false } }
}
