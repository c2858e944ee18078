import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// 好差评 statistics: reviews per level, 好评率, score, 差评 and each step of their loop — call-back,
/// appeal and its decision, rectification, feedback — in time or not by the hall's rules, the
/// reviews excluded on appeal, and 主动评价率 — by level, department, window, item and quarter.
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
    /// 2: the appeal, its exclusions and the feedback are counted (Docs/REVIEWS.md).
    public var version: Int { 2 }
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

        mutating func appealed(_ outcome: BadReviewOutcome) {
            count(.appealed, outcome.inTime ? .appealedInTime : nil, outcome.keys)
        }

        mutating func appealDecided(_ outcome: BadReviewOutcome) {
            count(.appealsDecided, outcome.inTime ? .appealsDecidedInTime : nil, outcome.keys)
        }

        /// The review leaves its level (so 好评率, the score and the bad reviews behind 差评整改率)
        /// and its call-back; it is counted as excluded instead.
        mutating func excluded(_ review: ExcludedReview) {
            for i in delta.indices { delta[i] = 0 }
            delta[EvaluationCounter.excluded.rawValue] = 1
            if let level = EvaluationCounter.level(review.level) { delta[level.rawValue] = -1 }
            delta[EvaluationCounter.calledBack.rawValue] = -1
            if review.calledBackInTime { delta[EvaluationCounter.calledBackInTime.rawValue] = -1 }
            deltas.add(delta, toEveryDimensionOf: review.keys)
        }

        mutating func fedBack(_ outcome: BadReviewOutcome) {
            count(.fedBack, outcome.inTime ? .fedBackInTime : nil, outcome.keys)
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
    /// Bad reviews appealed (申诉), and appealed within the appeal limit; under the review's keys.
    case appealed, appealedInTime
    /// Appeals decided, and decided within the decision limit.
    case appealsDecided, appealsDecidedInTime
    /// Bad reviews the appeal excluded (they have left their level's count).
    case excluded
    /// Bad reviews whose reviewer was told the outcome (反馈), and told within the feedback limit.
    case fedBack, fedBackInTime

    public static let width = allCases.count

    static func level(_ level: Int) -> EvaluationCounter? {
        (1 ... 5).contains(level) ? EvaluationCounter(rawValue: level - 1) : nil
    }
}
