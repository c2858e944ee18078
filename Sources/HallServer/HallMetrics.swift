import Foundation
import Ledger
import Prometheus
import Synchronization

/// The server's Prometheus metrics, in a registry of its own (no process-wide bootstrap, so
/// several servers — as in the tests — keep separate counts).
public final class HallMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let appends: Prometheus.Counter
    let appendedEvents: Prometheus.Counter
    let appendSeconds: Prometheus.DurationHistogram
    let eventsPerAppend: Prometheus.ValueHistogram
    let refusedAppends: Prometheus.Counter
    let projectionLagEvents: Prometheus.Gauge
    let projectionLagSeconds: Prometheus.Gauge
    let viewCheckpoint: Prometheus.Gauge
    let logHead: Prometheus.Gauge
    let mapBytes: Prometheus.Gauge
    let diskBytes: Prometheus.Gauge
    let boardSubscribers: Prometheus.Gauge
    let commitGroupAppends: Prometheus.ValueHistogram
    let commitGroupEvents: Prometheus.ValueHistogram
    let openReadsLog: Prometheus.Gauge
    let openReadsViews: Prometheus.Gauge
    let openConnections: Prometheus.Gauge
    /// Figures read when scraped (the feed's lag).
    private let scrapeUpdates = Mutex<[@Sendable () -> Void]>([])

    init() {
        appends = registry.makeCounter(descriptor: HallMetrics.describe("ledger_appends_total", "Appends acknowledged (one request, one or more events)."))
        appendedEvents = registry.makeCounter(descriptor: HallMetrics.describe("ledger_appended_events_total", "Events appended through the server."))
        appendSeconds = registry.makeDurationHistogram(
            descriptor: HallMetrics.describe("ledger_append_seconds", "Time from a POST's rules check to its durable commit."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                      .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)])
        eventsPerAppend = registry.makeValueHistogram(descriptor: HallMetrics.describe("ledger_events_per_append", "Events in one acknowledged append."),
                                                     buckets: [1, 2, 4, 8, 16, 32, 64])
        refusedAppends = registry.makeCounter(descriptor: HallMetrics.describe("ledger_refused_appends_total", "POSTs refused by a rule, a version conflict or bad input."))
        projectionLagEvents = registry.makeGauge(descriptor: HallMetrics.describe("projection_lag_events", "Events in the log not yet in the views."))
        projectionLagSeconds = registry.makeGauge(descriptor: HallMetrics.describe("projection_lag_seconds", "Duration of the views' last catch-up."))
        viewCheckpoint = registry.makeGauge(descriptor: HallMetrics.describe("projection_checkpoint", "The seq every view has reached."))
        logHead = registry.makeGauge(descriptor: HallMetrics.describe("ledger_head_seq", "The log's last seq."))
        mapBytes = registry.makeGauge(descriptor: HallMetrics.describe("ledger_map_bytes", "The log's LMDB map size."))
        diskBytes = registry.makeGauge(descriptor: HallMetrics.describe("ledger_disk_bytes", "The log's bytes on disk."))
        boardSubscribers = registry.makeGauge(descriptor: HallMetrics.describe("hall_board_subscribers", "Open live-board (SSE) connections."))
        // Every append of the process (the server's and any other writer in it), as the writer grouped them.
        commitGroupAppends = registry.makeValueHistogram(
            descriptor: HallMetrics.describe("ledger_commit_group_appends", "Appends merged into one commit (one transaction, one fsync)."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        commitGroupEvents = registry.makeValueHistogram(
            descriptor: HallMetrics.describe("ledger_commit_group_events", "Events made durable by one commit."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        let openReads = HallMetrics.describe("lmdb_open_read_transactions", "Read transactions open in this process when scraped.")
        openReadsLog = registry.makeGauge(descriptor: openReads, labels: [("environment", "log")])
        openReadsViews = registry.makeGauge(descriptor: openReads, labels: [("environment", "views")])
        openConnections = registry.makeGauge(descriptor: HallMetrics.describe("hall_open_connections", "Client connections the server holds open."))
    }

    private static func describe(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func requests(route: String, status: Int) -> Prometheus.Counter {
        registry.makeCounter(descriptor: HallMetrics.describe("hall_http_requests_total", "Requests answered, by route template and status."),
                             labels: [("route", route), ("status", String(status))])
    }

    /// Counts `group` in the commit-group histograms.
    func record(_ group: CommitGroup) {
        commitGroupAppends.record(Double(group.appends))
        commitGroupEvents.record(Double(group.events))
    }

    /// Runs `update` before each exposition, to set figures read at that moment.
    public func beforeEachScrape(_ update: @escaping @Sendable () -> Void) {
        scrapeUpdates.withLock { $0.append(update) }
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] {
        for update in scrapeUpdates.withLock({ $0 }) { update() }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
