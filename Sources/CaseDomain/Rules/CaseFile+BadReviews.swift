import Ledger

extension CaseFile {
    /// The bad review a step of the loop (`followedUp`, `appealed`, `appealDecided`, `rectified`,
    /// `feedbackGiven`) applies to: the oldest whose stage admits it. nil when none does.
    public func badReviewIndex(for step: EventType) -> Int? {
        badReviews.firstIndex { $0.admits(step) }
    }

    /// The bad reviews still someone's work (not closed, not excluded), oldest first.
    public var openBadReviews: [BadReview] { badReviews.filter(\.stage.isOpen) }

    /// The time of the latest bad review not yet rectified (nor excluded); nil when there is none.
    public var openBadReviewAt: Timestamp? {
        badReviews.last { $0.rectifiedAt == nil && !$0.excluded }?.reviewedAt
    }

    /// The latest bad review not yet rectified has been called back.
    public var badReviewFollowedUp: Bool {
        badReviews.last { $0.rectifiedAt == nil && !$0.excluded }?.calledBackAt != nil
    }
}

extension CaseRules {
    /// Why a step of the 差评 loop cannot be recorded on `file` now; nil when a review admits it.
    /// The order (Docs/REVIEWS.md): 核实 (followedUp), then either 整改 (rectified) or one appeal
    /// (appealed → appealDecided; dismissed: back to 整改), then 反馈 (feedbackGiven).
    func badReviewRefusal(_ step: EventType, in file: CaseFile) -> String? {
        guard file.badReviewIndex(for: step) == nil else { return nil }
        let stages = Set(file.openBadReviews.map(\.stage))
        switch step {
        case .followedUp:
            return "there is no bad review waiting for a call back"
        case .appealed:
            if stages.contains(.awaitingCallBack) { return "call the reviewer back (followedUp, 核实) before appealing the bad review" }
            if stages.contains(.underAppeal) { return "the bad review is already under appeal; record its appealDecided" }
            if stages.contains(.awaitingRectification) { return "a bad review is appealed once, and its appeal was dismissed; rectify it" }
            if stages.contains(.awaitingFeedback) { return "the bad review is already rectified; an appeal comes before the rectification" }
            return "there is no open bad review to appeal"
        case .appealDecided:
            return "no appeal is waiting for a decision (record appealed first)"
        case .rectified:
            if stages.contains(.awaitingCallBack) { return "call the reviewer back (followedUp, 核实) before rectifying the bad review" }
            if stages.contains(.underAppeal) { return "the bad review is under appeal; record appealDecided before rectifying it" }
            return "there is no bad review to rectify"
        case .feedbackGiven:
            if !stages.isDisjoint(with: [.awaitingCallBack, .awaitingRectification, .underAppeal]) {
                return "rectify the bad review before giving feedback"
            }
            return "there is no rectified bad review waiting for feedback"
        default:
            return nil
        }
    }
}
