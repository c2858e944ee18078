import Foundation
import Synchronization

/// A token bucket per token holder: `perSecond` requests a second, bursts of as many (at least one).
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var refilled: ContinuousClock.Instant
    }
    private let perSecond: Double
    private let capacity: Double
    private let buckets = Mutex([String: Bucket]())

    init(perSecond: Double) {
        self.perSecond = max(perSecond, 1e-6)
        capacity = max(perSecond, 1)
    }

    /// Takes one request from `holder`'s bucket; false when it is empty.
    func admit(_ holder: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            var bucket = buckets[holder] ?? Bucket(tokens: capacity, refilled: now)
            let elapsed = now - bucket.refilled
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.refilled = now
            guard bucket.tokens >= 1 else {
                buckets[holder] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[holder] = bucket
            return true
        }
    }
}
