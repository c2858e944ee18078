import CaseDomain
import LMDB
import Ledger
import ProjectionKit

/// A bad review the appeal excluded, with what it had been counted as (so it can leave those counts).
public struct ExcludedReview: Sendable, Hashable {
    /// The review's keys (its window and the quarter of its date).
    public var keys: CaseKeys
    /// 4 or 5 (0 when the view's row predates the level).
    public var level: Int
    public var calledBackInTime: Bool
}

extension StatisticsFold {
    /// Folds a review or a step of the 差评 loop (Docs/REVIEWS.md). A step applies to the case's
    /// oldest open bad review whose stage admits it, as the case rules decide; the review's row
    /// in `openBadReviews` follows it until its feedback or its exclusion removes it.
    func foldBadReviewStep<Sink: CaseFactSink>(_ event: EventView, on day: CivilDate, into track: inout CountedCase,
                                               open: Database<String, [UInt8]>?, txn: WriteTransaction,
                                               sink: inout Sink) throws {
        let type = try event.type
        if type == .evaluated {
            let level = try PayloadFields.evaluationLevel(event.payload)
            let ordinal = track.evaluations
            track.evaluations += 1
            let keys = track.keys(on: day, window: track.window)
            sink.reviewed(Review(keys: keys, level: level,
                                 firstOfCompletedCase: track.completed && ordinal == 0 ? track.completionKeys : nil))
            guard level >= 4, let open, let limits = badReview else { return }
            var review = OpenBadReview(ordinal: ordinal, day: day, window: track.window)
            review.level = level
            track.openBadReviews.append(review)
            try txn.put(open, OpenBadReviewRow.key(String(decoding: event.caseBytes, as: UTF8.self), ordinal),
                        row(review, of: track, limits).encoded())
            return
        }
        guard let limits = badReview, let open,
              let i = track.openBadReviews.firstIndex(where: { $0.admits(type) }) else { return }
        var review = track.openBadReviews[i]
        let keys = track.keys(on: review.day, window: review.window)
        func outcome(due: CivilDate?) -> BadReviewOutcome {
            BadReviewOutcome(keys: keys, reviewedOn: review.day, on: day, inTime: due.map { day <= $0 } ?? true)
        }
        var leaves = false
        switch type {
        case .followedUp:
            let calledBack = outcome(due: deadline(after: review.day, limits.callBackWorkingDays))
            review.calledBack = true
            review.calledBackInTime = calledBack.inTime
            sink.calledBack(calledBack)
        case .appealed:
            review.appealedDay = day
            review.appealPending = true
            sink.appealed(outcome(due: deadline(after: review.day, limits.appealWorkingDays)))
        case .appealDecided:
            review.appealPending = false
            sink.appealDecided(outcome(due: deadline(after: review.appealedDay ?? review.day, limits.appealDecisionWorkingDays)))
            if case .appealDecided(excluded: true, _) = try event.data() {
                sink.excluded(ExcludedReview(keys: keys, level: review.level, calledBackInTime: review.calledBackInTime))
                leaves = true
            }
        case .rectified:
            review.rectifiedDay = day
            sink.rectified(outcome(due: rectificationDeadline(of: review.day)))
        case .feedbackGiven:
            sink.fedBack(outcome(due: deadline(after: review.rectifiedDay ?? day, limits.feedbackWorkingDays)))
            leaves = true
        default:
            return
        }
        let key = OpenBadReviewRow.key(String(decoding: event.caseBytes, as: UTF8.self), review.ordinal)
        if leaves {
            track.openBadReviews.remove(at: i)
            try txn.delete(open, key)
        } else {
            track.openBadReviews[i] = review
            try txn.put(open, key, row(review, of: track, limits).encoded())
        }
    }

    /// The `openBadReviews` row of `review` as it stands.
    private func row(_ review: OpenBadReview, of track: CountedCase, _ limits: BadReviewLimits) -> OpenBadReviewRow {
        let stageDeadline: CivilDate? = switch review.stage {
        case .awaitingCallBack: deadline(after: review.day, limits.callBackWorkingDays)
        case .awaitingRectification: rectificationDeadline(of: review.day)
        case .underAppeal: deadline(after: review.appealedDay ?? review.day, limits.appealDecisionWorkingDays)
        case .awaitingFeedback: deadline(after: review.rectifiedDay ?? review.day, limits.feedbackWorkingDays)
        case .closed, .excluded: nil
        }
        return OpenBadReviewRow(keys: track.keys(on: review.day, window: review.window), reviewedOn: review.day,
                                deadline: rectificationDeadline(of: review.day), stage: review.stage, stageDeadline: stageDeadline)
    }
}
