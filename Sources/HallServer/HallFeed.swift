import Feed
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The feed into PostgreSQL run inside the server (`ledger serve --feed-url`; off without it): a
/// service of the server's group that follows the log, woken by the store's commits, and ships
/// it exactly once as `ledger feed postgres --follow` does. It never stops the server — an
/// unreachable PostgreSQL or a refusal is retried with backoff and shown on /metrics — and
/// /readyz does not depend on it. A graceful shutdown stops it after the transaction in flight.
public struct HallFeedService: Service {
    let feed: PostgresFeed
    let metrics: HallFeedMetrics

    /// Registers the feed's metrics with the hall's and tells its lag about every commit.
    public init(hall: Hall, feed: PostgresFeed) {
        self.feed = feed
        let metrics = HallFeedMetrics(registry: hall.metrics.registry, ledgerID: feed.ledgerID)
        self.metrics = metrics
        let lag = feed.lag
        hall.store.observeCommits { _ in lag.noteCommit() }
        let store = hall.store
        hall.metrics.beforeEachScrape {
            if let head = try? store.digest().seq { lag.observe(head: head) }
            metrics.update(from: lag)
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [feed] in await feed.keepFollowing() }
    }
}

/// The feed's figures on /metrics, labelled with its ledger id.
final class HallFeedMetrics: Sendable {
    let lagEvents: Prometheus.Gauge
    let lagSeconds: Prometheus.Gauge
    let shippedSeq: Prometheus.Gauge
    let unreachable: Prometheus.Gauge
    let failing: Prometheus.Gauge
    let batches: Prometheus.Counter
    let events: Prometheus.Counter
    let errors: Prometheus.Counter
    /// The counts already added to the counters (the feed keeps its own totals).
    private let counted = Mutex<(batches: Int, events: Int, errors: Int)>((0, 0, 0))

    init(registry: PrometheusCollectorRegistry, ledgerID: String) {
        let labels = [("ledger_id", ledgerID)]
        func describe(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        }
        lagEvents = registry.makeGauge(descriptor: describe("ledger_feed_lag_events", "Events in the log not yet committed to PostgreSQL."), labels: labels)
        lagSeconds = registry.makeGauge(descriptor: describe("ledger_feed_lag_seconds", "How long the oldest event not yet in PostgreSQL has waited; 0 when none."), labels: labels)
        shippedSeq = registry.makeGauge(descriptor: describe("ledger_feed_shipped_seq", "The last seq committed to PostgreSQL (the feed's checkpoint)."), labels: labels)
        unreachable = registry.makeGauge(descriptor: describe("ledger_feed_postgres_unreachable", "1 while the feed cannot reach PostgreSQL, lost it or got no answer (it retries), else 0."), labels: labels)
        failing = registry.makeGauge(descriptor: describe("ledger_feed_failing", "1 while PostgreSQL or the log refuses the feed (a rewritten log, a schema too new, another feed of the ledger; it retries), else 0."), labels: labels)
        batches = registry.makeCounter(descriptor: describe("ledger_feed_batches_total", "Transactions the feed committed to PostgreSQL."), labels: labels)
        events = registry.makeCounter(descriptor: describe("ledger_feed_events_total", "Events the feed committed to PostgreSQL."), labels: labels)
        errors = registry.makeCounter(descriptor: describe("ledger_feed_errors_total", "Feed attempts that ended in an error (each retried)."), labels: labels)
    }

    /// Sets the figures from the feed's lag, as of now.
    func update(from lag: FeedLag) {
        lagEvents.set(Double(lag.events))
        lagSeconds.set(lag.seconds())
        shippedSeq.set(Double(lag.shipped))
        let health = lag.health
        unreachable.set(Double(health.isUnreachable ? 1 : 0))
        failing.set(Double(health.isFailing ? 1 : 0))
        let (batchCount, eventCount, errorCount) = (lag.batchesShipped, lag.eventsShipped, lag.errors)
        let added = counted.withLock { counted in
            defer { counted = (batchCount, eventCount, errorCount) }
            return (batchCount - counted.batches, eventCount - counted.events, errorCount - counted.errors)
        }
        if added.0 > 0 { batches.increment(by: Int64(added.0)) }
        if added.1 > 0 { events.increment(by: Int64(added.1)) }
        if added.2 > 0 { errors.increment(by: Int64(added.2)) }
    }
}
