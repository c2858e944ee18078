import Foundation

/// Progress on stderr, only when stderr is a terminal (never in pipes, logs or CI).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    /// `done` of `total` units (events, bytes); redrawn at most ten times a second.
    func update(_ done: Int, of total: Int, unit: String = "events") {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
            lastDraw = now
            let elapsed = now.timeIntervalSince(started)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let percent = total > 0 ? Double(done) * 100 / Double(total) : 100
            let eta = rate > 0 && total > done ? String(format: " ETA %.0fs", Double(total - done) / rate) : ""
            let width = 30
            let filled = total > 0 ? min(width, done * width / total) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ %@ %5.1f%% %@ %@/s%@\u{1B}[K", label, bar, percent,
                                                       "\(done)/\(total)", formatCount(rate), eta).utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

func formatCount(_ value: Double) -> String {
    switch value {
    case 1_000_000...: String(format: "%.2fM", value / 1_000_000)
    case 10_000...: String(format: "%.0fk", value / 1000)
    default: String(format: "%.0f", value)
    }
}

/// Writes to stdout in large chunks. A failed write (full disk, closed pipe) is remembered in
/// `OutputStatus` and later writes are skipped; the command then ends non-zero.
func writeStdout(_ bytes: [UInt8]) {
    guard OutputStatus.failure == nil else { return }
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                OutputStatus.failed(errno: n < 0 ? errno : EIO)
                return
            }
            offset += n
        }
    }
}
