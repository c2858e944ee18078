import Foundation
import Ledger

/// Where a bad review (差评) stands in the closed loop 评价 → 核实/回访 → 整改 → 反馈, with the
/// bureau's appeal (申诉复核) beside it (Docs/REVIEWS.md).
public enum BadReviewStage: String, Sendable, Hashable, CaseIterable, Codable {
    /// 待核实: the reviewer is to be called back and the complaint checked (`followedUp`).
    case awaitingCallBack
    /// 待整改: checked; the cause is to be put right (`rectified`), or the review appealed.
    case awaitingRectification
    /// 申诉复核中: the bureau asked for the review to be excluded; the decision is pending.
    case underAppeal
    /// 待反馈: rectified; the reviewer is to be told what was done (`feedbackGiven`).
    case awaitingFeedback
    /// 已办结: the loop is closed.
    case closed
    /// 已剔除: the appeal found the review mistaken or malicious; it leaves the rates.
    case excluded

    /// Still someone's work.
    public var isOpen: Bool { self != .closed && self != .excluded }

    /// The event that moves a review on from this stage (nil once it is closed or excluded).
    public var nextStep: EventType? {
        switch self {
        case .awaitingCallBack: .followedUp
        case .awaitingRectification: .rectified
        case .underAppeal: .appealDecided
        case .awaitingFeedback: .feedbackGiven
        case .closed, .excluded: nil
        }
    }

    /// The stage as the hall says it.
    public var label: String {
        switch self {
        case .awaitingCallBack: "待核实"
        case .awaitingRectification: "待整改"
        case .underAppeal: "申诉复核中"
        case .awaitingFeedback: "待反馈"
        case .closed: "已办结"
        case .excluded: "已剔除"
        }
    }
}

/// One bad review of a case and each step taken on it, with the times they were recorded.
public struct BadReview: Sendable, Hashable {
    /// Which of the case's reviews (0 = the first).
    public var ordinal: Int
    /// 4 不满意 or 5 非常不满意.
    public var level: Int
    public var reviewedAt: Timestamp
    /// The window handling the case when it was reviewed (nil for a case never accepted).
    public var window: String?
    public var calledBackAt: Timestamp?
    public var appealedAt: Timestamp?
    public var appealGround: AppealGround?
    public var appealDecidedAt: Timestamp?
    /// The appeal was granted: the review no longer counts in 好评率 or 差评整改率.
    public var excluded = false
    public var rectifiedAt: Timestamp?
    public var fedBackAt: Timestamp?

    public init(ordinal: Int, level: Int, reviewedAt: Timestamp, window: String?) {
        self.ordinal = ordinal
        self.level = level
        self.reviewedAt = reviewedAt
        self.window = window
    }

    public var stage: BadReviewStage {
        if excluded { return .excluded }
        if fedBackAt != nil { return .closed }
        if rectifiedAt != nil { return .awaitingFeedback }
        if appealedAt != nil, appealDecidedAt == nil { return .underAppeal }
        if calledBackAt != nil { return .awaitingRectification }
        return .awaitingCallBack
    }

    /// Whether `step` may be recorded on this review now (the order of Docs/REVIEWS.md).
    public func admits(_ step: EventType) -> Bool {
        switch step {
        case .followedUp: stage == .awaitingCallBack
        case .appealed: stage == .awaitingRectification && appealedAt == nil
        case .appealDecided: stage == .underAppeal
        case .rectified: stage == .awaitingRectification
        case .feedbackGiven: stage == .awaitingFeedback
        default: false
        }
    }

    /// Records a step of the loop of `type` at `at` (with the appeal's ground, or its decision).
    /// Assumes `admits` said yes.
    mutating func record(_ type: EventType, at: Timestamp, ground: AppealGround? = nil, excluded: Bool = false) {
        switch type {
        case .followedUp: calledBackAt = at
        case .appealed:
            appealedAt = at
            appealGround = ground
        case .appealDecided:
            appealDecidedAt = at
            self.excluded = excluded
        case .rectified: rectifiedAt = at
        case .feedbackGiven: fedBackAt = at
        default: break
        }
    }

    /// The last day of each step, by `limits` on `calendar` (nil where it lies beyond the loaded
    /// calendar, or where the step it follows has not happened).
    public func deadlines(_ limits: BadReviewLimits, calendar: WorkCalendar) -> BadReviewDeadlines {
        func after(_ time: Timestamp?, _ n: Int) -> CivilDate? {
            guard let time else { return nil }
            return try? calendar.deadline(acceptedOn: CivilDate(instantMilliseconds: time.milliseconds), workingDays: max(0, n))
        }
        return BadReviewDeadlines(callBack: after(reviewedAt, limits.callBackWorkingDays),
                                  appeal: after(reviewedAt, limits.appealWorkingDays),
                                  appealDecision: after(appealedAt, limits.appealDecisionWorkingDays),
                                  rectification: after(reviewedAt, limits.rectifyWorkingDays),
                                  feedback: after(rectifiedAt, limits.feedbackWorkingDays))
    }
}

/// The last day of each step of one bad review.
public struct BadReviewDeadlines: Sendable, Hashable {
    /// 核实/回访: `callBackWorkingDays` after the review.
    public var callBack: CivilDate?
    /// The last day the bureau may appeal: `appealWorkingDays` after the review.
    public var appeal: CivilDate?
    /// The appeal's decision: `appealDecisionWorkingDays` after it was filed.
    public var appealDecision: CivilDate?
    /// 整改: `rectifyWorkingDays` after the review (an appeal does not stop this clock).
    public var rectification: CivilDate?
    /// 反馈: `feedbackWorkingDays` after the rectification.
    public var feedback: CivilDate?

    /// The deadline of the step a review at `stage` waits for.
    public func of(_ stage: BadReviewStage) -> CivilDate? {
        switch stage {
        case .awaitingCallBack: callBack
        case .awaitingRectification: rectification
        case .underAppeal: appealDecision
        case .awaitingFeedback: feedback
        case .closed, .excluded: nil
        }
    }
}

/// The 差评 loop's limits in working days (`badReview` in seeds/rules.json; Docs/REVIEWS.md).
public struct BadReviewLimits: Sendable, Hashable, Decodable {
    /// 核实/回访 within this many working days after the review.
    public var callBackWorkingDays: Int
    /// The bureau may appeal within this many working days after the review.
    public var appealWorkingDays: Int
    /// The appeal is decided within this many working days after it was filed.
    public var appealDecisionWorkingDays: Int
    /// 整改 within this many working days after the review.
    public var rectifyWorkingDays: Int
    /// 反馈 to the reviewer within this many working days after the rectification.
    public var feedbackWorkingDays: Int

    public init(callBackWorkingDays: Int = 1, appealWorkingDays: Int = 3, appealDecisionWorkingDays: Int = 5,
                rectifyWorkingDays: Int = 15, feedbackWorkingDays: Int = 3) {
        self.callBackWorkingDays = callBackWorkingDays
        self.appealWorkingDays = appealWorkingDays
        self.appealDecisionWorkingDays = appealDecisionWorkingDays
        self.rectifyWorkingDays = rectifyWorkingDays
        self.feedbackWorkingDays = feedbackWorkingDays
    }

    /// The default limits (those of seeds/rules.json).
    public static let standard = BadReviewLimits()

    private enum CodingKeys: String, CodingKey {
        case callBackWorkingDays, appealWorkingDays, appealDecisionWorkingDays, rectifyWorkingDays, feedbackWorkingDays
    }

    /// A limit left out of the file takes its default (rules files written before the appeal
    /// and the feedback had limits still read).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BadReviewLimits.standard
        self.init(callBackWorkingDays: try c.decodeIfPresent(Int.self, forKey: .callBackWorkingDays) ?? d.callBackWorkingDays,
                  appealWorkingDays: try c.decodeIfPresent(Int.self, forKey: .appealWorkingDays) ?? d.appealWorkingDays,
                  appealDecisionWorkingDays: try c.decodeIfPresent(Int.self, forKey: .appealDecisionWorkingDays) ?? d.appealDecisionWorkingDays,
                  rectifyWorkingDays: try c.decodeIfPresent(Int.self, forKey: .rectifyWorkingDays) ?? d.rectifyWorkingDays,
                  feedbackWorkingDays: try c.decodeIfPresent(Int.self, forKey: .feedbackWorkingDays) ?? d.feedbackWorkingDays)
        for (name, days) in [("callBackWorkingDays", callBackWorkingDays), ("appealWorkingDays", appealWorkingDays),
                             ("appealDecisionWorkingDays", appealDecisionWorkingDays), ("rectifyWorkingDays", rectifyWorkingDays),
                             ("feedbackWorkingDays", feedbackWorkingDays)] where !(0 ... 250).contains(days) {
            throw DecodingError.dataCorruptedError(forKey: .callBackWorkingDays, in: c,
                                                   debugDescription: "badReview.\(name) \(days) is not 0–250 working days")
        }
    }

    private struct RulesFile: Decodable { var badReview: BadReviewLimits }

    /// Reads the `badReview` object of `rules.json`.
    /// - Throws: `SeedError` naming the file and what is wrong.
    public static func load(from url: URL) throws(SeedError) -> BadReviewLimits {
        do { return try JSONDecoder().decode(RulesFile.self, from: Data(contentsOf: url)).badReview } catch let DecodingError.dataCorrupted(context) {
            throw SeedError(path: url.path, reason: context.debugDescription)
        } catch {
            throw SeedError(path: url.path, reason: "cannot decode badReview (\(error))")
        }
    }
}
