import Metrics
import Synchronization

/// How far the city's copy is behind the district's log, readable at any time (a server's
/// `/metrics` reads it), and reported through swift-metrics as gauges labelled with the ledger id:
/// `ledger_feed_lag_events` (events appended but not yet shipped) and `ledger_feed_shipped_seq`.
public final class FeedLag: Sendable {
    private let shippedSeq = Atomic<UInt64>(0)
    private let headSeq = Atomic<UInt64>(0)
    private let lagGauge: Gauge
    private let shippedGauge: Gauge

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

    func update(shipped: UInt64? = nil, head: UInt64? = nil) {
        if let shipped { shippedSeq.store(shipped, ordering: .relaxed) }
        if let head { headSeq.store(head, ordering: .relaxed) }
        lagGauge.record(Double(events))
        shippedGauge.record(Double(self.shipped))
    }
}
