import HummingbirdCore
import Prometheus

/// The open-connection limit: while the server holds `maximum` client connections it stops
/// accepting, so further connections wait in the listen queue (the kernel's backlog) until one
/// closes — queued, not refused. A burst arriving at once may be taken in one accept loop and
/// pass the limit by a few (NIO accepts up to four connections per read).
/// Counts are kept on the listening channel's event loop; the gauge shows them on /metrics.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let gauge: Prometheus.Gauge
    private var open = 0

    init(maximum: Int, gauge: Prometheus.Gauge) {
        self.maximum = maximum
        self.gauge = gauge
    }

    mutating func connectionOpened() {
        open += 1
        gauge.set(Double(open))
    }

    mutating func connectionClosed() {
        open -= 1
        gauge.set(Double(open))
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
