import CaseDomain
import Foundation
import Ledger
import Testing

/// The 差评 loop of Docs/REVIEWS.md through the case rules: 评价 → 核实/回访 → 整改 → 反馈, the
/// appeal (申诉复核) beside it, and every refusal of a step out of order.
@Suite("Case rules: the bad-review loop")
struct BadReviewLoopTests {
    /// A decided case with one bad review (2023-10-10, 12:00 CST).
    static func reviewed() throws -> CaseStory {
        try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil)), .record(badReview)])
    }

    static let appeal = EventData.appealed(ground: .malicious, reason: "评价内容与服务无关")
    static let exclude = EventData.appealDecided(excluded: true, reason: "经复核属恶意差评")
    static let dismiss = EventData.appealDecided(excluded: false, reason: "申诉理由不充分")

    @Test("each stage in turn: 待核实, 待整改, 待反馈, 已办结, with the time of each step")
    func everyStage() throws {
        var story = try Self.reviewed()
        #expect(story.file.badReviews.map(\.stage) == [.awaitingCallBack])
        #expect(story.file.badReviews[0].level == 4)
        #expect(story.file.badReviews[0].window == "W01")
        #expect(story.file.badReviews[0].ordinal == 0)
        try story.record(.followedUp)
        #expect(story.file.badReviews[0].stage == .awaitingRectification)
        #expect(story.file.badReviews[0].calledBackAt == story.file.lastEventAt)
        try story.record(.rectified(note: "已约谈窗口人员"))
        #expect(story.file.badReviews[0].stage == .awaitingFeedback)
        #expect(story.file.openBadReviewAt == nil)
        try story.record(.feedbackGiven(note: "已电话告知"))
        #expect(story.file.badReviews[0].stage == .closed)
        #expect(story.file.badReviews[0].fedBackAt == story.file.lastEventAt)
        #expect(story.file.openBadReviews.isEmpty)
    }

    @Test("steps out of order are refused with the reason and what to do")
    func orderRefusals() throws {
        let reviewed = try Self.reviewed()
        reviewed.expectRefused(.rectified(note: "x"), state: "approved", reason: "call the reviewer back (followedUp, 核实) before rectifying")
        reviewed.expectRefused(Self.appeal, state: "approved", reason: "call the reviewer back (followedUp, 核实) before appealing")
        reviewed.expectRefused(.feedbackGiven(note: "x"), state: "approved", reason: "rectify the bad review before giving feedback")
        reviewed.expectRefused(Self.exclude, state: "approved", reason: "no appeal is waiting for a decision")

        var calledBack = reviewed
        try calledBack.record(.followedUp)
        calledBack.expectRefused(.followedUp, state: "approved", reason: "there is no bad review waiting for a call back")
        calledBack.expectRefused(.feedbackGiven(note: "x"), state: "approved", reason: "rectify the bad review before giving feedback")

        var underAppeal = calledBack
        try underAppeal.record(Self.appeal)
        #expect(underAppeal.file.badReviews[0].stage == .underAppeal)
        underAppeal.expectRefused(.rectified(note: "x"), state: "approved", reason: "under appeal; record appealDecided before rectifying")
        underAppeal.expectRefused(Self.appeal, state: "approved", reason: "already under appeal")

        var rectified = calledBack
        try rectified.record(.rectified(note: "x"))
        rectified.expectRefused(Self.appeal, state: "approved", reason: "already rectified; an appeal comes before the rectification")
        rectified.expectRefused(.rectified(note: "again"), state: "approved", reason: "there is no bad review to rectify")
        try rectified.record(.feedbackGiven(note: "x"))
        rectified.expectRefused(.feedbackGiven(note: "again"), state: "approved", reason: "no rectified bad review waiting for feedback")
        rectified.expectRefused(Self.appeal, state: "approved", reason: "there is no open bad review to appeal")
    }

    @Test("a granted appeal excludes the review: it is kept, marked, and nothing more is done on it")
    func appealExcludes() throws {
        var story = try Self.reviewed()
        try story.record(.followedUp)
        try story.record(Self.appeal)
        try story.record(Self.exclude)
        let review = story.file.badReviews[0]
        #expect(review.stage == .excluded)
        #expect(review.excluded)
        #expect(review.appealGround == .malicious)
        #expect(review.appealDecidedAt == story.file.lastEventAt)
        #expect(story.file.evaluations.count == 1, "the review itself stays in the case file")
        #expect(story.file.openBadReviewAt == nil)
        story.expectRefused(.rectified(note: "x"), state: "approved", reason: "there is no bad review to rectify")
        story.expectRefused(Self.exclude, state: "approved", reason: "no appeal is waiting for a decision")
    }

    @Test("a dismissed appeal sends the review back to 待整改; it is not appealed twice")
    func appealDismissed() throws {
        var story = try Self.reviewed()
        try story.record(.followedUp)
        try story.record(.appealed(ground: .mistaken, reason: "误选办件"))
        try story.record(Self.dismiss)
        #expect(story.file.badReviews[0].stage == .awaitingRectification)
        #expect(!story.file.badReviews[0].excluded)
        story.expectRefused(Self.appeal, state: "approved", reason: "a bad review is appealed once")
        try story.record(.rectified(note: "x"))
        try story.record(.feedbackGiven(note: "x"))
        #expect(story.file.badReviews[0].stage == .closed)
    }

    @Test("with two bad reviews each step moves the oldest one waiting for it")
    func twoBadReviews() throws {
        var story = try CaseStory([.record(submittedT3), .record(.visited), .record(badReview), acceptance("T-3"),
                                   .record(.approved(certificate: nil)), .record(.evaluated(Evaluation(level: 5, channel: .sms)))])
        #expect(story.file.badReviews.map(\.ordinal) == [0, 1])
        #expect(story.file.badReviews[0].window == nil, "reviewed before acceptance: no window yet")
        try story.record(.followedUp)
        #expect(story.file.badReviews.map(\.stage) == [.awaitingRectification, .awaitingCallBack])
        try story.record(.rectified(note: "x"))
        #expect(story.file.badReviews.map(\.stage) == [.awaitingFeedback, .awaitingCallBack])
        try story.record(.followedUp)
        try story.record(.rectified(note: "y"))
        #expect(story.file.badReviews.map(\.stage) == [.awaitingFeedback, .awaitingFeedback])
        try story.record(.feedbackGiven(note: "x"))
        #expect(story.file.badReviews.map(\.stage) == [.closed, .awaitingFeedback])
    }

    @Test("a case file with its bad reviews survives its binary form")
    func caseFileRoundTrip() throws {
        var story = try Self.reviewed()
        try story.record(.followedUp)
        try story.record(.appealed(ground: .mistaken, reason: "误选"))
        let bytes = story.file.encoded()
        let decoded = try bytes.withUnsafeBytes { try CaseFile(decoding: $0) }
        #expect(decoded == story.file)
    }

    @Test("each step's deadline, in working days of the calendar, from rules.json")
    func deadlines() throws {
        var story = try Self.reviewed()  // reviewed Tue 2023-10-10
        try story.record(.followedUp)
        try story.record(.rectified(note: "x"), at: at("2023-10-16T10:00:00+08:00"))
        let limits = try BadReviewLimits.load(from: CalendarFixtures.directory.deletingLastPathComponent().appendingPathComponent("rules.json"))
        #expect(limits == BadReviewLimits(callBackWorkingDays: 1, appealWorkingDays: 3, appealDecisionWorkingDays: 5,
                                          rectifyWorkingDays: 15, feedbackWorkingDays: 3))
        let d = story.file.badReviews[0].deadlines(limits, calendar: try CalendarFixtures.calendar())
        #expect(d.callBack == cst("2023-10-11"))
        #expect(d.appeal == cst("2023-10-13"))
        #expect(d.appealDecision == nil, "not appealed")
        #expect(d.rectification == cst("2023-10-31"))
        #expect(d.feedback == cst("2023-10-19"), "3 working days after Mon 10-16")
        #expect(d.of(.awaitingFeedback) == d.feedback)
    }

    @Test("limits left out of an older rules file take their defaults; a negative one is refused")
    func limitsDecoding() throws {
        let old = try JSONDecoder().decode(BadReviewLimits.self, from: Data(#"{"callBackWorkingDays": 2, "rectifyWorkingDays": 10}"#.utf8))
        #expect(old == BadReviewLimits(callBackWorkingDays: 2, rectifyWorkingDays: 10))
        #expect(old.appealWorkingDays == 3 && old.feedbackWorkingDays == 3)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BadReviewLimits.self, from: Data(#"{"feedbackWorkingDays": -1}"#.utf8))
        }
    }

    @Test("the interchange form names what is missing or wrong in an appeal")
    func appealJSON() throws {
        func parse(_ type: EventType, _ json: String) throws -> EventData {
            try EventData(type: type, json: try JSONValue(parsing: Array(json.utf8)))
        }
        #expect(try parse(.appealed, #"{"ground":"malicious","reason":"辱骂"}"#) == .appealed(ground: .malicious, reason: "辱骂"))
        let ground = #expect(throws: DataError.self) { try parse(.appealed, #"{"ground":"annoying","reason":"x"}"#) }
        #expect(ground?.field == "data.ground")
        let excluded = #expect(throws: DataError.self) { try parse(.appealDecided, #"{"reason":"x"}"#) }
        #expect(excluded?.field == "data.excluded")
        let note = #expect(throws: DataError.self) { try parse(.feedbackGiven, #"{}"#) }
        #expect(note?.field == "data.note")
    }
}
