import CaseDomain
import Ledger
import Testing

/// A case driven through `CaseRules.admit` and `CaseFile.apply`, one event an hour from
/// Tue 2023-10-10 09:00 CST unless a time is given.
struct CaseStory {
    static let number = caseNo("LZH-2023-000001")
    let rules: CaseRules
    var file: CaseFile
    private var clock = at("2023-10-10T09:00:00+08:00")

    init(_ events: [EventData] = [], caseNumber: CaseNumber = CaseStory.number) throws {
        try self.init(events.map(EventRequest.init), caseNumber: caseNumber)
    }

    init(_ events: [EventRequest], caseNumber: CaseNumber = CaseStory.number) throws {
        rules = CaseRules(catalog: DomainFixtures.testCatalog(), calendar: try CalendarFixtures.calendar())
        file = CaseFile(caseNumber: caseNumber)
        for event in events { try record(event) }
    }

    /// The next hour after the last event.
    var nextTime: Timestamp { Timestamp(milliseconds: clock.milliseconds + 3_600_000) }

    /// Admits and applies `data`; returns what was admitted.
    @discardableResult
    mutating func record(_ data: EventData, at time: Timestamp? = nil) throws(RuleViolation) -> EventData {
        try record(EventRequest(data), at: time)
    }

    @discardableResult
    mutating func record(_ data: EventRequest, at time: Timestamp? = nil) throws(RuleViolation) -> EventData {
        let time = time ?? nextTime
        let admitted = try rules.admit(data, at: time, to: file)
        file.apply(admitted, at: time)
        clock = time
        return admitted
    }

    /// The refusal of `data`, checked to name the case, its state and the reason.
    func expectRefused(_ data: EventData, at time: Timestamp? = nil, state: String, reason: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        expectRefused(EventRequest(data), at: time, state: state, reason: reason, sourceLocation: sourceLocation)
    }

    func expectRefused(_ data: EventRequest, at time: Timestamp? = nil, state: String, reason: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let violation = #expect(throws: RuleViolation.self, sourceLocation: sourceLocation) {
            try rules.admit(data, at: time ?? nextTime, to: file)
        }
        guard let violation else { return }
        #expect(violation.subject == "case \(file.caseNumber)", sourceLocation: sourceLocation)
        #expect(violation.state == state, sourceLocation: sourceLocation)
        #expect(violation.event == data.type, sourceLocation: sourceLocation)
        #expect(violation.reason.contains(reason), "reason: \(violation.reason)", sourceLocation: sourceLocation)
        #expect(violation.description.hasPrefix("case \(file.caseNumber) is \(state): \(data.type) refused: "),
                sourceLocation: sourceLocation)
        #expect(violation.description.contains(reason), sourceLocation: sourceLocation)
    }
}

let submittedT3 = EventData.submitted(Submission(item: "T-3", channel: .window, applicant: Applicant(kind: .person, ref: "P-1")))
let badReview = EventData.evaluated(Evaluation(level: 4, channel: .mobile, comment: "态度差"))
let goodReview = EventData.evaluated(Evaluation(level: 2, channel: .hallTablet))

@Suite("Case rules: the state machine")
struct CaseRulesTests {
    // MARK: submitted

    @Test func submittedStartsACase() throws {
        var story = try CaseStory()
        try story.record(submittedT3)
        #expect(story.file.status == .submitted)
        #expect(story.file.version == 0)
    }

    @Test func submittedRefusals() throws {
        try CaseStory([submittedT3]).expectRefused(submittedT3, state: "submitted", reason: "already submitted")
        let unknown = EventData.submitted(Submission(item: "NO-SUCH", channel: .pc, applicant: Applicant(kind: .person, ref: "P-2")))
        try CaseStory().expectRefused(unknown, state: "new", reason: "item NO-SUCH is not in the catalog")
        try CaseStory().expectRefused(.visited, state: "new", reason: "a case starts with submitted")
    }

    // MARK: supplements

    @Test func supplementRequestedAndReceived() throws {
        var story = try CaseStory([submittedT3])
        try story.record(.supplementRequested(materials: ["身份证明"]))
        #expect(story.file.status == .awaitingSupplement)
        try story.record(.supplementReceived)
        #expect(story.file.status == .submitted)
        try story.record(acceptance("T-3"))
        #expect(story.file.status == .processing)
    }

    @Test func supplementRefusals() throws {
        try CaseStory([.record(submittedT3), acceptance("T-3")])
            .expectRefused(.supplementRequested(materials: ["x"]), state: "processing", reason: "before acceptance")
        try CaseStory([submittedT3]).expectRefused(.supplementReceived, state: "submitted", reason: "no supplement was requested")
    }

    // MARK: accepted

    /// The worked example of Docs/DOMAIN.md §Time limits: accepted Thu 2023-09-28 with promisedDays 3 → Mon 2023-10-09.
    @Test func acceptedTakesLimitsFromTheCatalogAndComputesTheDeadline() throws {
        var story = try CaseStory()
        try story.record(submittedT3, at: at("2023-09-28T09:00:00+08:00"))
        let admitted = try story.record(acceptance("T-3"), at: at("2023-09-28T10:00:00+08:00"))
        #expect(admitted == .accepted(Acceptance(item: "T-3", window: "W01", legalDays: 20, promisedDays: 3,
                                                 deadline: cst("2023-10-09"))))
        #expect(story.file.acceptance?.deadline == cst("2023-10-09"))
        #expect(story.file.status == .processing)
        #expect(story.file.window == "W01")
    }

    /// The acceptance date is the date in China Standard Time, whatever zone the time is written in.
    @Test func acceptanceDateIsTakenInChinaStandardTime() throws {
        var story = try CaseStory()
        try story.record(submittedT3, at: at("2023-09-27T08:00:00-05:00"))
        // 2023-09-27T21:00-05:00 is 2023-09-28T10:00+08:00.
        let admitted = try story.record(acceptance("T-3"), at: at("2023-09-27T21:00:00-05:00"))
        guard case .accepted(let a) = admitted else { Issue.record("not an acceptance: \(admitted)"); return }
        #expect(a.deadline == cst("2023-10-09"))
        // 2023-09-28T16:30Z is already Fri 2023-09-29 in CST: a 即办件 (0 days) is due that CST date.
        let submittedT0 = EventData.submitted(Submission(item: "T-0", channel: .pc, applicant: Applicant(kind: .person, ref: "P-9")))
        var late = try CaseStory()
        try late.record(submittedT0, at: at("2023-09-28T09:00:00+08:00"))
        let lateAdmitted = try late.record(acceptance("T-0"), at: at("2023-09-28T16:30:00Z"))
        guard case .accepted(let b) = lateAdmitted else { Issue.record("not an acceptance: \(lateAdmitted)"); return }
        #expect(b.deadline == cst("2023-09-29"))
        #expect(b.legalDays == 5 && b.promisedDays == 0)
    }

    @Test func acceptedWithMatchingGivenLimitsAndDeadline() throws {
        var story = try CaseStory([submittedT3])
        let given = acceptance("T-3", legalDays: 15, promisedDays: 5, deadline: cst("2023-10-17"))
        // Tue 2023-10-10 + 5 working days = Tue 2023-10-17.
        #expect(given.isRecorded(as: try story.record(given)))
    }

    @Test func acceptedWithADifferentDeadlineIsRefused() throws {
        let story = try CaseStory([submittedT3])
        story.expectRefused(acceptance("T-3", deadline: cst("2023-10-12")), state: "submitted",
                            reason: "deadline 2023-10-12 differs from the computed 2023-10-13 (3 working days after 2023-10-10)")
    }

    @Test func acceptedRefusals() throws {
        try CaseStory([submittedT3, .supplementRequested(materials: ["身份证明"])])
            .expectRefused(acceptance("T-3"), state: "awaitingSupplement", reason: "the requested supplement has not been received")
        try CaseStory([.record(submittedT3), acceptance("T-3")])
            .expectRefused(acceptance("T-3"), state: "processing", reason: "only a submitted case can be accepted")
        try CaseStory([submittedT3])
            .expectRefused(acceptance("NO-SUCH"), state: "submitted", reason: "item NO-SUCH is not in the catalog")
        try CaseStory([submittedT3])
            .expectRefused(acceptance("T-3", promisedDays: 25), state: "submitted", reason: "promised 25 days exceed the legal 20")
        try CaseStory().expectRefused(acceptance("T-3"), state: "new", reason: "a case starts with submitted")
    }

    /// A deadline past the last loaded year is an error, not a guess.
    @Test func acceptedWhoseDeadlineFallsInAnUnloadedYear() throws {
        var story = try CaseStory()
        try story.record(submittedT3, at: at("2026-12-30T09:00:00+08:00"))
        story.expectRefused(acceptance("T-3"), at: at("2026-12-31T09:00:00+08:00"), state: "submitted",
                            reason: "calendar for 2027 not loaded")
    }

    // MARK: rejected

    @Test func rejected() throws {
        var story = try CaseStory([submittedT3, .supplementRequested(materials: ["身份证明"])])
        try story.record(.rejected(reason: "材料不全"))
        #expect(story.file.status == .rejected)
        #expect(story.file.completedAt != nil)
        try CaseStory([.record(submittedT3), acceptance("T-3")])
            .expectRefused(.rejected(reason: "x"), state: "processing", reason: "only a case not yet accepted can be rejected")
    }

    // MARK: materialsReduced, assisted, withdrawn

    @Test func materialsReducedAssistedAndWithdrawnWhileOpen() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3")])
        try story.record(.materialsReduced(count: 2, via: .eCertificate))
        try story.record(.assisted(agent: "帮办员-1"))
        #expect(story.file.materialsReduced == 2)
        #expect(story.file.assisted)
        try story.record(.withdrawn(reason: "申请人撤回"))
        #expect(story.file.status == .withdrawn)
        #expect(story.file.status?.isCompleted == true)
    }

    @Test func materialsReducedAssistedAndWithdrawnRefusedWhenClosed() throws {
        let approved = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil))])
        approved.expectRefused(.materialsReduced(count: 1, via: .waived), state: "approved", reason: "the case is closed")
        approved.expectRefused(.assisted(agent: "a"), state: "approved", reason: "the case is closed")
        approved.expectRefused(.withdrawn(reason: "late"), state: "approved", reason: "the case is closed")
        try CaseStory([submittedT3, .rejected(reason: "x")])
            .expectRefused(.withdrawn(reason: "late"), state: "rejected", reason: "the case is closed")
    }

    // MARK: suspended / resumed

    @Test func suspendedAndResumed() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3")])
        try story.record(.suspended(procedure: .hearing, reason: "听证"), at: at("2023-10-11T09:00:00+08:00"))
        #expect(story.file.isSuspended)
        try story.record(.resumed, at: at("2023-10-13T09:00:00+08:00"))
        #expect(story.file.status == .processing)
        #expect(story.file.suspensions == [SuspensionPeriod(start: cst("2023-10-11"), end: cst("2023-10-13"))])
    }

    @Test func suspendedAndResumedRefusals() throws {
        try CaseStory([submittedT3]).expectRefused(.suspended(procedure: .testing, reason: "检测"), state: "submitted",
                                                    reason: "only a case in processing can be suspended")
        try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.suspended(procedure: .testing, reason: "检测"))])
            .expectRefused(.suspended(procedure: .testing, reason: "again"), state: "suspended",
                           reason: "only a case in processing can be suspended")
        try CaseStory([.record(submittedT3), acceptance("T-3")]).expectRefused(.resumed, state: "processing", reason: "the case is not suspended")
        try CaseStory([submittedT3]).expectRefused(.resumed, state: "submitted", reason: "the case is not suspended")
    }

    // MARK: extended

    @Test func extendedOnceWhileAcceptedAndOpen() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.suspended(procedure: .inspection, reason: "检验"))])
        try story.record(.extended(days: 10))
        #expect(story.file.extensionDays == 10)
        story.expectRefused(.extended(days: 5), state: "suspended", reason: "the limit may be extended once")
        try CaseStory([submittedT3]).expectRefused(.extended(days: 5), state: "submitted",
                                                    reason: "only an accepted, open case can be extended")
    }

    // MARK: transferred

    @Test func transferred() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3", window: "W01")])
        try story.record(.transferred(toWindow: "W02"))
        #expect(story.file.window == "W02")
        story.expectRefused(.transferred(toWindow: "W02"), state: "processing", reason: "the case is already at window W02")
        try CaseStory([submittedT3]).expectRefused(.transferred(toWindow: "W02"), state: "submitted",
                                                    reason: "only an accepted, open case can be transferred")
    }

    // MARK: stepCompleted

    @Test func stepCompleted() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3")])
        try story.record(.stepCompleted(step: .handle, opinion: "拟同意"))
        #expect(story.file.status == .processing)
        #expect(story.file.version == 2)
        try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.suspended(procedure: .auction, reason: "拍卖"))])
            .expectRefused(.stepCompleted(step: .review, opinion: ""), state: "suspended",
                           reason: "steps are completed while the case is in processing")
    }

    // MARK: visited

    @Test func visitedInAnyState() throws {
        var story = try CaseStory([.record(submittedT3), .record(.visited), acceptance("T-3"), .record(.approved(certificate: nil)), .record(.visited)])
        #expect(story.file.visits == 2)
        try story.record(.visited)
        #expect(story.file.visits == 3)
        story.expectRefused(.visited, at: at("2023-10-10T08:00:00+08:00"), state: "approved",
                            reason: "before the case's previous event")
    }

    // MARK: approved / denied

    @Test func approvedAndDenied() throws {
        var approved = try CaseStory([.record(submittedT3), acceptance("T-3")])
        try approved.record(.approved(certificate: Certificate(number: "C-1", electronic: true)))
        #expect(approved.file.status == .approved)
        #expect(approved.file.completedAt != nil)
        var denied = try CaseStory([.record(submittedT3), acceptance("T-3")])
        try denied.record(.denied(reason: "不符合条件"))
        #expect(denied.file.status == .denied)
    }

    @Test func approvedAndDeniedRefusals() throws {
        let submitted = try CaseStory([submittedT3])
        submitted.expectRefused(.approved(certificate: nil), state: "submitted", reason: "only a case in processing can be decided")
        submitted.expectRefused(.denied(reason: "x"), state: "submitted", reason: "only a case in processing can be decided")
        let suspended = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.suspended(procedure: .tender, reason: "招标"))])
        suspended.expectRefused(.approved(certificate: nil), state: "suspended", reason: "resume the case first")
        try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil))])
            .expectRefused(.approved(certificate: nil), state: "approved", reason: "only a case in processing can be decided")
    }

    // MARK: delivered

    @Test func delivered() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil))])
        try story.record(.delivered(method: .courier))
        #expect(story.file.status == .delivered)
        story.expectRefused(.delivered(method: .window), state: "delivered", reason: "only an approved case is delivered")
        try CaseStory([.record(submittedT3), acceptance("T-3")])
            .expectRefused(.delivered(method: .window), state: "processing", reason: "only an approved case is delivered")
        try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.denied(reason: "x"))])
            .expectRefused(.delivered(method: .window), state: "denied", reason: "only an approved case is delivered")
    }

    // MARK: 好差评: evaluated, followedUp, rectified

    @Test func evaluatedAfterAVisitOrTheCompletion() throws {
        var story = try CaseStory([submittedT3, .visited])
        try story.record(goodReview)
        story.expectRefused(goodReview, state: "submitted", reason: "one each (1 already given)")
        try story.record(acceptance("T-3"))
        try story.record(.approved(certificate: nil))
        try story.record(goodReview)
        #expect(story.file.evaluations.count == 2)

        var rejected = try CaseStory([submittedT3, .rejected(reason: "x")])
        try rejected.record(goodReview)
    }

    @Test func evaluatedWithNoVisitAndNotCompletedIsRefused() throws {
        try CaseStory([.record(submittedT3), acceptance("T-3")])
            .expectRefused(goodReview, state: "processing", reason: "a review follows a visit or the completion")
    }

    @Test func badReviewIsFollowedUpAndRectified() throws {
        var story = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil)), .record(badReview)])
        #expect(story.file.openBadReviewAt != nil)
        try story.record(.followedUp)
        #expect(story.file.badReviewFollowedUp)
        story.expectRefused(.followedUp, state: "approved", reason: "there is no bad review waiting for a call back")
        try story.record(.rectified(note: "整改"))
        #expect(story.file.openBadReviewAt == nil)
        story.expectRefused(.rectified(note: "again"), state: "approved", reason: "there is no bad review to rectify")
    }

    @Test func followedUpAndRectifiedNeedABadReview() throws {
        let good = try CaseStory([.record(submittedT3), acceptance("T-3"), .record(.approved(certificate: nil)), .record(goodReview)])
        good.expectRefused(.followedUp, state: "approved", reason: "there is no bad review waiting for a call back")
        good.expectRefused(.rectified(note: "x"), state: "approved", reason: "there is no bad review to rectify")
        try CaseStory([submittedT3]).expectRefused(.rectified(note: "x"), state: "submitted", reason: "there is no bad review to rectify")
    }

    // MARK: dates

    @Test func eventsDatedBeforeThePreviousEventAreRefused() throws {
        var story = try CaseStory()
        try story.record(submittedT3, at: at("2023-10-10T10:00:00+08:00"))
        story.expectRefused(acceptance("T-3"), at: at("2023-10-10T09:59:59.999+08:00"), state: "submitted",
                            reason: "it is dated 2023-10-10T09:59:59.999+08:00, before the case's previous event at 2023-10-10T10:00:00+08:00")
        // The same instant is allowed.
        try story.record(acceptance("T-3"), at: at("2023-10-10T02:00:00Z"))
    }

    @Test func eventsInAYearWithoutACalendarAreRefused() throws {
        try CaseStory().expectRefused(submittedT3, at: at("2027-01-04T09:00:00+08:00"), state: "new",
                                      reason: "calendar for 2027 not loaded")
        var story = try CaseStory()
        try story.record(submittedT3, at: at("2026-12-31T09:00:00+08:00"))
        // 2026-12-31T17:00Z is 2027-01-01 in China Standard Time.
        story.expectRefused(.visited, at: at("2026-12-31T17:00:00Z"), state: "submitted", reason: "calendar for 2027 not loaded")
    }

    // MARK: streams

    @Test func catalogEventsOnACaseStreamAreRefused() throws {
        let item = DomainFixtures.item("T-NEW", legal: 10, promised: 2)
        try CaseStory([submittedT3]).expectRefused(.itemPublished(item), state: "submitted",
                                                    reason: "catalog events belong to the CATALOG stream")
        try CaseStory([submittedT3]).expectRefused(.itemRevised(item), state: "submitted",
                                                    reason: "catalog events belong to the CATALOG stream")
    }

    @Test func caseEventsOnTheCatalogStreamAreRefused() throws {
        let story = try CaseStory(caseNumber: .catalog)
        for data in [EventRequest.record(submittedT3), .record(.visited), acceptance("T-3")] {
            let violation = #expect(throws: RuleViolation.self) { try story.rules.admit(data, at: story.nextTime, to: story.file) }
            #expect(violation?.description == "the catalog stream is catalog: \(data.type) refused: only itemPublished and itemRevised belong to CATALOG")
        }
    }

    @Test func catalogItemsArePublishedOnceAndRevisedOnlyWhenKnown() throws {
        var story = try CaseStory(caseNumber: .catalog)
        let item = DomainFixtures.item("T-NEW", legal: 10, promised: 2)
        #expect(try story.record(.itemPublished(item)) == .itemPublished(item))
        var catalog = story.rules.catalog
        catalog.apply(.itemPublished(item))
        let again = #expect(throws: RuleViolation.self) { try catalog.check(.itemPublished(item)) }
        #expect(again?.description == "item T-NEW is published: itemPublished refused: it is already in the catalog; use itemRevised to change it")
        let revised = DomainFixtures.item("T-NEW", legal: 10, promised: 1)
        try catalog.check(.itemRevised(revised))
        catalog.apply(.itemRevised(revised))
        #expect(catalog["T-NEW"]?.promisedDays == 1)

        // Through the rules too: T-3 is in the rules' catalog.
        let twice = #expect(throws: RuleViolation.self) {
            try story.rules.admit(.itemPublished(DomainFixtures.testItems[0]), at: story.nextTime, to: story.file)
        }
        #expect(twice?.subject == "item T-3")
        #expect(twice?.reason.contains("already in the catalog") == true)

        let unknown = #expect(throws: RuleViolation.self) {
            try story.rules.admit(.itemRevised(DomainFixtures.item("T-GHOST", legal: 1, promised: 1)), at: story.nextTime, to: story.file)
        }
        #expect(unknown?.description == "item T-GHOST is not in the catalog: itemRevised refused: publish it first")
    }
}
