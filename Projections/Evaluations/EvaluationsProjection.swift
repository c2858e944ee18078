import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// 好差评 statistics: reviews per level, 好评率, score, 差评 and their call-backs and
/// rectifications (in time or not, by the hall's rules), and 主动评价率 — by level, department,
/// window, item and quarter.
///
/// A review is counted in the quarter of its date, at the window handling the case then ("" for
/// a case never accepted); its call-back and rectification are counted under the review's keys.
/// 主动评价率 is kept on the completions' keys (quarter of the decision): a case counts as
/// evaluated when it has any review, before or after its decision.
///
/// Databases: `counters` (`CounterDimension` key → `EvaluationCounter` values) and the shared
/// case tables of `StatisticsFold`, the open bad reviews included.
extension ViewName {
    /// The 好差评 counts.
    public static let evaluations = ViewName("evaluations")
}

public struct EvaluationsProjection: Projection {
    public let calendar: WorkCalendar
    public let rules: HallRules
    public init(calendar: WorkCalendar, rules: HallRules) { self.calendar = calendar; self.rules = rules }
    public var name: ViewName { .evaluations }
    public var version: Int { 1 }
    public var databases: [ViewDatabase] { StatisticsFold.databases(reviews: true) + [ViewDatabase("counters")] }

    public func apply(_ batch: EventBatch, to view: ViewWriter) throws {
        try StatisticsFold(calendar: calendar, badReview: rules.badReview).count(batch, into: view, with: Counting())
    }

    struct Counting: CountingSink {
        var deltas = CounterDeltas(width: EvaluationCounter.width)
        private var delta = Array(repeating: Int64(0), count: EvaluationCounter.width)

        mutating func completed(_ c: Completion) {
            count(.completed, c.evaluated ? .evaluatedCompleted : nil, c.keys)
        }

        mutating func reviewed(_ review: Review) {
            if let level = EvaluationCounter.level(review.level) { count(level, nil, review.keys) }
            if let completion = review.firstOfCompletedCase { count(.evaluatedCompleted, nil, completion) }
        }

        mutating func calledBack(_ outcome: BadReviewOutcome) {
            count(.calledBack, outcome.inTime ? .calledBackInTime : nil, outcome.keys)
        }

        mutating func rectified(_ outcome: BadReviewOutcome) {
            count(outcome.inTime ? .rectifiedInTime : .rectifiedLate, nil, outcome.keys)
        }

        /// Adds 1 to `first` (and `second`) on every dimension of `keys`.
        private mutating func count(_ first: EvaluationCounter, _ second: EvaluationCounter?, _ keys: CaseKeys) {
            for i in delta.indices { delta[i] = 0 }
            delta[first.rawValue] = 1
            if let second { delta[second.rawValue] = 1 }
            deltas.add(delta, toEveryDimensionOf: keys)
        }
    }
}

/// The counters of one `evaluations` row, in stored order (new ones only at the end).
public enum EvaluationCounter: Int, CaseIterable, Sendable {
    /// Reviews of level 1 (非常满意) … 5 (非常不满意), in the quarter of the review.
    case level1, level2, level3, level4, level5
    /// Bad reviews (4–5) rectified within / after the rectification limit, under the review's keys.
    case rectifiedInTime, rectifiedLate
    /// Bad reviews called back (回访), and called back within the call-back limit.
    case calledBack, calledBackInTime
    /// Completed cases (quarter of the decision), and those of them with any review.
    case completed, evaluatedCompleted

    public static let width = allCases.count

    static func level(_ level: Int) -> EvaluationCounter? {
        (1 ... 5).contains(level) ? EvaluationCounter(rawValue: level - 1) : nil
    }
}
