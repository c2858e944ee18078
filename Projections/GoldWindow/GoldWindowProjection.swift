import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// 金牌窗口: per quarter and window, the counts the composite score is made of — completions
/// (quarter of the decision, window at the decision), reviews (quarter of the review, window
/// then), bad reviews and their rectification (the bad review's quarter and window) — and the
/// bad reviews still open, which disqualify their window once past the rectification limit.
///
/// Scores, ranks and the gold marks are computed when the report is read (`report(_:period:)`),
/// from `rules.goldWindow`. Databases: `counters` (`CounterDimension.window` keys →
/// `GoldWindowCounter` values) and the shared case tables of `StatisticsFold`.
extension ViewName {
    /// The quarterly 金牌窗口 scores.
    public static let goldWindow = ViewName("goldWindow")
}

public struct GoldWindowProjection: Projection {
    public let calendar: WorkCalendar
    public let rules: HallRules
    public init(calendar: WorkCalendar, rules: HallRules) { self.calendar = calendar; self.rules = rules }
    public var name: ViewName { .goldWindow }
    /// 2: reviews excluded on appeal leave the counts.
    public var version: Int { 3 }
    public var databases: [ViewDatabase] { StatisticsFold.databases(reviews: true) + [ViewDatabase("counters")] }

    public func apply(_ batch: EventBatch, to view: ViewWriter) throws {
        try StatisticsFold(calendar: calendar, badReview: rules.badReview).count(batch, into: view, with: Counting())
    }

    struct Counting: CountingSink {
        var deltas = CounterDeltas(width: GoldWindowCounter.width)
        private var delta = Array(repeating: Int64(0), count: GoldWindowCounter.width)

        mutating func completed(_ c: Completion) {
            clear()
            delta[GoldWindowCounter.completed.rawValue] = 1
            // A withdrawal after 受理 is the applicant's choice: volume, but not timeliness.
            delta[GoldWindowCounter.decided.rawValue] = c.outcome.isDecision ? 1 : 0
            delta[GoldWindowCounter.onTime.rawValue] = c.outcome.isDecision && c.onTime ? 1 : 0
            delta[GoldWindowCounter.immediate.rawValue] = c.promisedDays == 0 ? 1 : 0
            setConvenience(c.convenience, sign: 1)
            add(c.keys)
        }

        mutating func visitedAfterCompletion(_ keys: CaseKeys, before: ConvenienceFlags, after: ConvenienceFlags) {
            clear()
            setConvenience(after, sign: 1)
            setConvenience(before, sign: -1)
            add(keys)
        }

        mutating func reviewed(_ review: Review) {
            clear()
            delta[GoldWindowCounter.reviews.rawValue] = 1
            delta[GoldWindowCounter.goodReviews.rawValue] = review.level <= 3 ? 1 : 0
            delta[GoldWindowCounter.badReviews.rawValue] = review.level >= 4 ? 1 : 0
            add(review.keys)
        }

        /// A review excluded on appeal leaves the window's reviews and bad reviews (it was bad, so
        /// never good, and an appeal comes before any rectification).
        mutating func excluded(_ review: ExcludedReview) {
            clear()
            delta[GoldWindowCounter.reviews.rawValue] = -1
            delta[GoldWindowCounter.badReviews.rawValue] = -1
            add(review.keys)
        }

        mutating func rectified(_ outcome: BadReviewOutcome) {
            clear()
            delta[(outcome.inTime ? GoldWindowCounter.rectifiedInTime : .rectifiedLate).rawValue] = 1
            add(outcome.keys)
        }

        private mutating func clear() { for i in delta.indices { delta[i] = 0 } }

        private mutating func setConvenience(_ f: ConvenienceFlags, sign: Int64) {
            delta[GoldWindowCounter.atMostOneVisit.rawValue] += f.atMostOneVisit ? sign : 0
            delta[GoldWindowCounter.waivedOrOnline.rawValue] += f.waivedOrOnline ? sign : 0
        }

        /// Windows only: a case never accepted has no window to score.
        private mutating func add(_ keys: CaseKeys) {
            guard !keys.window.isEmpty else { return }
            deltas.add(delta, to: CounterKey(.window, keys.quarter, keys.window))
        }
    }
}

/// The counters of one `goldWindow` row (window × quarter), in stored order.
public enum GoldWindowCounter: Int, CaseIterable, Sendable {
    case completed, onTime, atMostOneVisit, waivedOrOnline, immediate
    case reviews, goodReviews, badReviews, rectifiedInTime, rectifiedLate
    /// Completions that were decisions (approved or denied), the on-time rate's denominator.
    case decided

    public static let width = allCases.count
}
