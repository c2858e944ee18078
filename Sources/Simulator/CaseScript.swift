import CaseDomain
import Ledger

/// One case's whole timeline, drawn when it arrives and scheduled into the year's queue.
///
/// The script walks the lifecycle of Docs/DOMAIN.md in order — submission, intake (补正 or 不予受理),
/// 受理, the steps with any 特别程序 suspension, extension or transfer, the decision, delivery,
/// and the 好差评 review with its call-back and rectification — so every event it schedules is
/// one `CaseRules.admit` allows at that point. Times never go backwards within the case, and
/// the script stops (leaving the case open) at the first event that would fall after the
/// calendar's last loaded day.
struct CaseScript {
    private let year: SimulationRun
    private let number: CaseNumber
    private let arrival: Arrival
    private let profile: ItemProfile
    private var random: RandomSource
    /// Time of the case's latest event.
    private var cursor: Int64
    private var window: Int
    private var clerk: String
    private var visits = 0
    private var lastVisit: Int64?
    private var stopped = false
    /// The 24-hour self-service area handles the case without a clerk.
    private var byKiosk = false
    /// The clock's position while processing: effective working days counted, and the date.
    private var countedDays = 0
    /// The certificate of the approval, once approved.
    private var certificate: Certificate?
    private var processingDate = CivilDate(dayNumber: 0)

    private enum Failure { case reject, withdraw, deny }

    init(year: SimulationRun, number: CaseNumber, arrival: Arrival, random: RandomSource) {
        self.year = year
        self.number = number
        self.arrival = arrival
        self.random = random
        profile = year.profiles[arrival.item]
        cursor = arrival.at
        window = profile.homeWindow
        clerk = ""
    }

    mutating func play() {
        defer { finish() }
        let item = profile.item
        let channel = arrival.channel
        let kind: ApplicantKind = random.chance(profile.enterpriseShare) ? .enterprise : .person
        // A pseudonym, never an ID number.
        let applicant = Applicant(kind: kind, ref: (kind == .person ? "P-" : "E-") + random.hex12())
        let partner = crossRegionPartner()
        let assisted = partner == nil && random.chance(profile.assistShare)
        window = year.hall.acceptingWindow(for: profile, channel: channel, applicant: kind,
                                           crossRegion: partner != nil, assisted: assisted, rng: &random)
        clerk = random.pick(year.hall.windows[window].clerks)
        var underGrant = false
        if channel == .window, window == profile.homeWindow,
           let chief = year.hall.chiefClerk(for: item.department, rng: &random) {
            (window, clerk, underGrant) = (chief.window, chief.clerk, true)
        }
        byKiosk = channel == .selfService && window == year.hall.selfService

        // Submission, at the counter, the kiosk, or online.
        let submission = Submission(item: item.code, channel: channel, applicant: applicant, crossRegion: partner, theme: arrival.theme)
        guard emit(.submitted(submission), at: arrival.at, by: channel == .window ? clerk : "applicant") else { return }
        year.counts.cases += 1
        if channel == .window { year.counts.submittedAtWindow += 1 }
        if channel == .pc || channel == .mobile { year.counts.submittedOnline += 1 }
        if partner != nil { year.counts.crossRegionCases += 1 }
        if channel == .window || channel == .selfService { visit(at: cursor, by: channel == .window ? clerk : "system") }
        if assisted, channel == .window { assist(at: soon(1 ... 5)) }
        reduceMaterials()

        // Intake: 不予受理, 补正, or straight to 受理.
        var failure: Failure?
        switch arrival.fate {
        case .reported: failure = nil
        case .notApproved: failure = random.pick([.reject, .reject, .withdraw, .withdraw, .deny, .deny, .deny])
        case .free where arrival.entersLibrary: failure = nil
        case .free:
            if random.chance(0.02) { failure = .reject }
            else if random.chance(0.006) { failure = .withdraw }
            else if random.chance(item.promisedDays == 0 ? 0.003 : 0.008) { failure = .deny }
        }
        guard let intake = intakeTime(afterHallVisit: channel == .window) else { return stop() }
        if failure == .reject { return reject(at: intake, reason: random.pick(Phrases.rejectionReasons)) }
        var acceptAt = intake
        if !byKiosk, random.chance(0.08) {
            guard let afterSupplement = requestSupplement(at: intake, channel: channel) else { return }
            acceptAt = afterSupplement
        }

        // The agent of an online or kiosk submission steps in when the clerk takes it up.
        if assisted, channel != .window { assist(at: acceptAt) }
        if !byKiosk, random.chance(0.02), emit(.materialsReduced(count: 1, via: .waived), at: acceptAt, by: clerk) {
            year.counts.waivedMaterials += 1
        }

        // 受理: the clock starts; limits and deadline are snapshotted into the event.
        let acceptedOn = HallClock.day(of: max(acceptAt, cursor))
        guard let deadline = try? year.calendar.deadline(acceptedOn: acceptedOn, workingDays: item.promisedDays) else { return stop() }
        let acceptance = Acceptance(item: item.code, window: year.hall.windows[window].id, legalDays: item.legalDays,
                                    promisedDays: item.promisedDays, deadline: deadline)
        guard emit(.accepted(acceptance), at: acceptAt, by: hallActor) else { return }
        year.counts.accepted += 1
        if underGrant { year.counts.acceptedUnderGrant += 1 }
        processingDate = acceptedOn
        if item.promisedDays == 0 {
            decideOnTheSpot(failure: failure)
        } else {
            process(acceptedOn: acceptedOn, failure: failure)
        }
    }

    // MARK: - Submission and intake

    private mutating func crossRegionPartner() -> String? {
        switch (profile.reported, arrival.fate) {
        case (.wuhanTong, .reported): return "武汉市"
        case (.passwordReset, .reported): return random.pick(profile.partners.isEmpty ? Phrases.metroCirclePartners : profile.partners)
        case (.none, _) where !profile.partners.isEmpty && random.chance(0.03): return random.pick(profile.partners)
        default: return nil
        }
    }

    /// 帮办代办: the 专窗's clerk (or the village studio) handles the case for the applicant.
    private mutating func assist(at time: Int64) {
        let agent = profile.item.level == .village ? Phrases.villageAssistant : "\(Phrases.assistBrand) \(clerk)"
        if emit(.assisted(agent: agent), at: time, by: clerk) { year.counts.assisted += 1 }
    }

    /// 减材料 at submission: e-certificates as planned for the year, data sharing by chance.
    /// (A clerk may waive a material at acceptance.)
    private mutating func reduceMaterials() {
        if arrival.eCertificates > 0, emit(.materialsReduced(count: arrival.eCertificates, via: .eCertificate), at: soon(0 ... 2), by: "system") {
            year.counts.eCertificateReductions += arrival.eCertificates
        }
        if random.chance(0.12) {
            let count = random.int(in: 1 ... 3)
            if emit(.materialsReduced(count: count, via: .dataSharing), at: soon(0 ... 2), by: "system") {
                year.counts.dataSharingReductions += count
            }
        }
    }

    /// When a clerk takes the submission up: minutes later at the counter or kiosk; for online
    /// and courier submissions, the next time the hall is open.
    private mutating func intakeTime(afterHallVisit: Bool) -> Int64? {
        if byKiosk { return moments(10 ... 90) }
        if afterHallVisit { return soon(3 ... 15) }
        return nextHallTime(delay: 10 ... 180)
    }

    private mutating func reject(at time: Int64, reason: String) {
        guard emit(.rejected(reason: reason), at: time, by: hallActor) else { return }
        year.counts.rejected += 1
        review(chance: 0.5, unhappy: true)
    }

    /// 补正: requested at intake; the applicant supplies it online or in person (or never).
    /// Returns when the case can be accepted, or nil when the case ended (or stopped).
    private mutating func requestSupplement(at time: Int64, channel: Channel) -> Int64? {
        let count = random.chance(0.7) ? 1 : 2
        var materials: [String] = []
        while materials.count < count {
            let material = random.pick(Phrases.supplementMaterials)
            if !materials.contains(material) { materials.append(material) }
        }
        guard emit(.supplementRequested(materials: materials), at: time, by: hallActor) else { return nil }
        year.counts.supplementsRequested += 1
        let outcome = arrival.isReported ? 1 : random.unit()
        if outcome < 0.05 {
            // Never supplied: 不予受理 once the notice period has passed.
            guard let day = year.workingDay(after: HallClock.day(of: cursor), random.int(in: 10 ... 15)) else {
                stop()
                return nil
            }
            reject(at: during(day), reason: Phrases.lateSupplementReason)
            return nil
        }
        if outcome < 0.11 {
            let when = HallClock.instant(HallClock.day(of: cursor).adding(days: random.int(in: 2 ... 10)),
                                         second: ArrivalClock.uploadSecond(&random))
            if emit(.withdrawn(reason: random.pick(Phrases.withdrawalReasons)), at: when, by: "applicant") {
                year.counts.withdrawn += 1
                review(chance: 0.15, unhappy: false)
            }
            return nil
        }
        let later = HallClock.day(of: cursor).adding(days: random.int(in: 1 ... 5))
        if channel == .window, random.chance(0.5) {
            guard let day = year.workingDay(onOrAfter: later) else {
                stop()
                return nil
            }
            visit(at: during(day), by: clerk)
            guard emit(.supplementReceived, at: soon(1 ... 5), by: clerk) else { return nil }
            return soon(3 ... 15)
        }
        let uploaded = HallClock.instant(later, second: ArrivalClock.uploadSecond(&random))
        guard emit(.supplementReceived, at: uploaded, by: "applicant") else { return nil }
        guard let intake = nextHallTime(delay: 10 ... 240) else {
            stop()
            return nil
        }
        return intake
    }

    // MARK: - Processing and decision

    /// 即办件: decided on the day of acceptance.
    private mutating func decideOnTheSpot(failure: Failure?) {
        let acceptedOn = HallClock.day(of: cursor)
        let decidedAt = byKiosk ? moments(5 ... 120) : soon(2 ... 40)
        switch failure {
        case .withdraw?:
            if emit(.withdrawn(reason: random.pick(Phrases.withdrawalReasons)), at: decidedAt, by: "applicant") {
                year.counts.withdrawn += 1
                review(chance: 0.15, unhappy: false)
            }
            return
        case .deny?:
            guard emit(.denied(reason: random.pick(Phrases.denialReasons)), at: decidedAt, by: hallActor) else { return }
            year.counts.denied += 1
        case .reject?, nil:  // (a rejection ended the case at intake)
            guard approve(at: decidedAt) else { return }
        }
        if HallClock.day(of: cursor) == acceptedOn { year.counts.immediateSameDay += 1 }
        if failure == .deny {
            review(chance: 0.6, unhappy: true)
        } else {
            deliver()
            review(chance: 0.72, unhappy: false)
        }
    }

    /// 承诺件: handle, review and approve steps over working days, mostly well before the
    /// deadline, with the occasional transfer, 特别程序 suspension, extension, or overdue case.
    private mutating func process(acceptedOn: CivilDate, failure: Failure?) {
        let item = profile.item
        let promised = item.promisedDays
        // A reported case runs straight (no delay, suspension or extension), so one accepted by
        // October is decided within the year.
        let straight = arrival.isReported
        let overdue = failure == nil && !straight && arrival.fate == .free && random.chance(0.015)
        let extensionDays = !overdue && !straight && failure == nil && item.legalDays > promised && random.chance(0.01)
            ? min(item.legalDays - promised, random.int(in: 5 ... 10)) : 0
        let decisionDay: Int
        if overdue {
            decisionDay = promised + random.int(in: 1 ... 4)
        } else if extensionDays > 0 {
            decisionDay = promised + random.int(in: 1 ... extensionDays)
        } else {
            let u = random.unit()
            decisionDay = min(promised, Int(Double(promised + 1) * u * u))
        }
        let handleDay = min(decisionDay, random.int(in: 0 ... 1))
        let reviewDay = random.int(in: handleDay ... decisionDay)
        let suspendDay: Int? = random.chance(0.03) && !straight ? random.int(in: handleDay ... reviewDay) : nil

        if !byKiosk, random.chance(0.038) {
            let target = year.hall.transferTarget(from: window, home: profile.homeWindow)
            guard emit(.transferred(toWindow: year.hall.windows[target].id), at: soon(10 ... 60), by: clerk) else { return }
            year.counts.transfers += 1
            window = target
            clerk = random.pick(year.hall.windows[window].clerks)
        }
        guard advance(to: handleDay),
              emit(.stepCompleted(step: .handle, opinion: Phrases.handleOpinion), at: during(processingDate), by: clerk)
        else { return }
        if failure == .withdraw {
            guard advance(to: random.int(in: handleDay ... decisionDay)),
                  emit(.withdrawn(reason: random.pick(Phrases.withdrawalReasons)), at: during(processingDate), by: "applicant")
            else { return }
            year.counts.withdrawn += 1
            return review(chance: 0.15, unhappy: false)
        }
        var suspensions: [SuspensionPeriod] = []
        if let suspendDay {
            let (procedure, reason) = random.pick(Phrases.suspensionReasons)
            guard advance(to: suspendDay),
                  emit(.suspended(procedure: procedure, reason: reason), at: during(processingDate), by: clerk)
            else { return }
            year.counts.suspensions += 1
            let suspendedOn = processingDate
            // The clock stops: the working days up to the resume date do not count.
            guard let resumedOn = year.workingDay(after: suspendedOn, random.int(in: 3 ... 15)) else { return stop() }
            processingDate = resumedOn
            guard emit(.resumed, at: during(resumedOn), by: clerk) else { return }
            suspensions.append(SuspensionPeriod(start: suspendedOn, end: resumedOn))
        }
        if extensionDays > 0 {
            guard advance(to: max(countedDays, min(promised, reviewDay))),
                  emit(.extended(days: extensionDays), at: during(processingDate), by: clerk)
            else { return }
            year.counts.extensions += 1
        }
        let reviewer = otherClerk()
        guard advance(to: max(countedDays, reviewDay)),
              emit(.stepCompleted(step: .review, opinion: Phrases.reviewOpinion), at: during(processingDate), by: reviewer),
              advance(to: max(countedDays, decisionDay))
        else { return }
        let decidedOn = processingDate
        let approver = otherClerk()
        if failure == .deny {
            guard emit(.stepCompleted(step: .approve, opinion: Phrases.denyOpinion), at: during(decidedOn), by: approver),
                  emit(.denied(reason: random.pick(Phrases.denialReasons)), at: soon(1 ... 10), by: clerk)
            else { return }
            year.counts.denied += 1
        } else {
            guard emit(.stepCompleted(step: .approve, opinion: Phrases.approveOpinion), at: during(decidedOn), by: approver),
                  approve(at: soon(1 ... 10))
            else { return }
        }
        if let deadline = try? year.calendar.deadline(acceptedOn: acceptedOn, workingDays: promised, suspensions: suspensions,
                                                      extensionDays: extensionDays),
           HallClock.day(of: cursor) > deadline {
            year.counts.overdue += 1
        }
        if failure == .deny {
            review(chance: 0.6, unhappy: true)
        } else {
            deliver()
            review(chance: 0.72, unhappy: false)
        }
    }

    /// Moves the processing clock to `days` effective working days after acceptance.
    private mutating func advance(to days: Int) -> Bool {
        guard days > countedDays else { return !stopped }
        guard let date = year.workingDay(after: processingDate, days - countedDays) else {
            stop()
            return false
        }
        processingDate = date
        countedDays = days
        return true
    }

    /// 准予, with a certificate for licences, registrations and the like (mostly electronic);
    /// the year's quota of them enters the certificate library (电子证照入库).
    private mutating func approve(at time: Int64) -> Bool {
        let reportedLicence = profile.reported == .industryLicence && arrival.fate == .reported
        certificate = nil
        if reportedLicence || arrival.entersLibrary || random.chance(profile.issuesCertificate ? 0.95 : 0.2) {
            let serial = number.rawValue.dropFirst(4)  // "2023-000123"
            certificate = Certificate(number: "\(profile.item.code)-\(serial)",
                                      electronic: reportedLicence || arrival.entersLibrary || random.chance(0.88),
                                      inLibrary: arrival.entersLibrary)
        }
        guard emit(.approved(certificate: certificate), at: time, by: hallActor) else { return false }
        year.counts.approved += 1
        if let certificate {
            year.counts.certificates += 1
            if certificate.electronic { year.counts.electronicCertificates += 1 }
            if certificate.inLibrary { year.counts.certificatesInLibrary += 1 }
        }
        if arrival.fate == .reported {
            switch profile.reported {
            case .passwordReset: year.counts.crossRegionPasswordResets += 1
            case .wuhanTong: year.counts.wuhanTongCards += 1
            case .industryLicence: year.counts.industryLicences += 1
            case .none: break
            }
        }
        return true
    }

    /// 送达: electronic results at once; paper certificates handed over on the spot, mailed, or
    /// collected at the window on a later visit.
    private mutating func deliver() {
        let method: DeliveryMethod
        let time: Int64
        var actor = hallActor
        if certificate.map(\.electronic) ?? true {
            method = applicantPresent && random.chance(0.5) ? .window : .electronic
            time = soon(0 ... 5)
            if method == .electronic { actor = "system" }
        } else if applicantPresent {
            method = .window
            time = soon(1 ... 5)
        } else if random.chance(0.6) {
            guard let day = year.workingDay(after: HallClock.day(of: cursor), 1) else { return stop() }
            method = .courier
            time = during(day)
        } else {
            guard let day = year.workingDay(after: HallClock.day(of: cursor), random.int(in: 1 ... 5)) else { return stop() }
            visit(at: during(day), by: clerk)
            method = .window
            time = soon(2 ... 10)
        }
        if emit(.delivered(method: method), at: time, by: actor) { year.counts.delivered += 1 }
    }

    // MARK: - 好差评

    /// A review after the completion, with `chance`; bad ones are called back and rectified.
    private mutating func review(chance: Double, unhappy: Bool) {
        guard !stopped, random.chance(chance) else { return }
        let present = applicantPresent
        let channel: ReviewChannel = present
            ? (random.chance(0.6) ? .hallTablet : .qrCode)
            : random.pick([.mobile, .mobile, .mobile, .mobile, .mobile, .pc, .pc, .sms, .sms, .sms])
        let time = present ? soon(1 ... 5) : laterOnline()
        let badShare = unhappy ? 0.05 : 0.008
        let u = random.unit()
        let level = u < badShare * 0.4 ? 5 : u < badShare ? 4 : u < badShare + 0.04 ? 3 : u < badShare + 0.22 ? 2 : 1
        let comment = level >= 4 ? random.pick(Phrases.badReviewComments) : nil
        guard emit(.evaluated(Evaluation(level: level, channel: channel, comment: comment)), at: time, by: "applicant") else { return }
        year.counts.evaluations += 1
        guard level >= 4 else { return }
        year.counts.badReviews += 1

        badReviewLoop(manager: otherClerk())
    }

    /// The 差评 loop (Docs/REVIEWS.md): 核实/回访 within the call-back limit (mostly the same day);
    /// now and then the bureau appeals a review it can show mistaken or malicious, and about half
    /// of those appeals exclude it; otherwise 整改, nearly always within its limit (the district
    /// reports 差评整改率 near 100%), and 反馈 to the reviewer within a few days of it.
    private mutating func badReviewLoop(manager: String) {
        let reviewedOn = HallClock.day(of: cursor)
        let rules = year.badReview
        let sameDay = year.isWorking(reviewedOn) == true && HallClock.secondOfDay(cursor) < 16 * 3600 && random.chance(0.7)
        guard let callBackDay = sameDay ? reviewedOn : year.workingDay(after: reviewedOn, max(1, rules.callBackWorkingDays)) else {
            return stop()
        }
        guard emit(.followedUp, at: sameDay ? soon(30 ... 90) : during(callBackDay), by: manager) else { return }
        if let due = year.workingDay(after: reviewedOn, rules.callBackWorkingDays), HallClock.day(of: cursor) <= due {
            year.counts.badReviewsFollowedUpInTime += 1
        }
        if random.chance(0.06) {
            let filed = random.int(in: 1 ... max(1, rules.appealWorkingDays))
            guard let appealDay = year.workingDay(after: reviewedOn, filed) else { return stop() }
            let ground: AppealGround = random.chance(0.5) ? .mistaken : .malicious
            guard emit(.appealed(ground: ground, reason: random.pick(Phrases.appealReasons[ground]!)), at: during(appealDay), by: manager)
            else { return }
            year.counts.badReviewsAppealed += 1
            guard let decisionDay = year.workingDay(after: appealDay, random.int(in: 1 ... max(1, rules.appealDecisionWorkingDays)))
            else { return stop() }
            let exclude = random.chance(0.5)
            let reason = random.pick(exclude ? Phrases.appealGrantedReasons : Phrases.appealDismissedReasons)
            guard emit(.appealDecided(excluded: exclude, reason: reason), at: during(decisionDay), by: Self.appealOffice) else { return }
            if exclude {
                year.counts.badReviewsExcluded += 1
                return
            }
        }
        let limit = max(1, rules.rectifyWorkingDays)
        let earliest = max(HallClock.day(of: cursor), reviewedOn)
        let days = random.chance(0.997) ? random.int(in: min(2, limit) ... limit) : limit + random.int(in: 1 ... 10)
        guard var rectifyDay = year.workingDay(after: reviewedOn, days) else { return stop() }
        if rectifyDay < earliest { rectifyDay = earliest }
        guard emit(.rectified(note: random.pick(Phrases.rectificationNotes)), at: during(rectifyDay), by: manager) else { return }
        if let due = year.workingDay(after: reviewedOn, rules.rectifyWorkingDays), HallClock.day(of: cursor) <= due {
            year.counts.badReviewsRectifiedInTime += 1
        } else {
            year.counts.badReviewsRectifiedLate += 1
        }
        let rectifiedOn = HallClock.day(of: cursor)
        guard let feedbackDay = year.workingDay(after: rectifiedOn, random.int(in: 0 ... max(0, min(2, rules.feedbackWorkingDays))))
        else { return stop() }
        if emit(.feedbackGiven(note: random.pick(Phrases.feedbackNotes)), at: during(feedbackDay), by: manager) {
            year.counts.badReviewsFedBack += 1
        }
    }

    /// The bureau's office that decides appeals (申诉复核), not a window.
    static let appealOffice = "督查室"

    // MARK: - Scheduling

    /// Schedules one event no earlier than the case's previous one. False once the case has
    /// stopped, or when the time falls after the calendar's last day (the case then stops).
    @discardableResult
    private mutating func emit(_ data: EventData, at time: Int64, by actor: String) -> Bool {
        guard !stopped else { return false }
        let at = max(time, cursor)
        guard HallClock.day(of: at) <= year.lastDay else {
            stop()
            return false
        }
        cursor = at
        year.queue.push(SimulatedEvent(id: random.uuid(at: at), caseNumber: number, data: data,
                                       at: Timestamp(milliseconds: at), actor: actor))
        return true
    }

    private mutating func visit(at time: Int64, by actor: String) {
        guard emit(.visited, at: time, by: actor) else { return }
        visits += 1
        lastVisit = cursor
    }

    private mutating func stop() { stopped = true }

    private mutating func finish() {
        switch visits {
        case 0: year.counts.zeroVisitCases += 1
        case 1: year.counts.oneVisitCases += 1
        default: year.counts.multiVisitCases += 1
        }
        if stopped { year.counts.stoppedAtCalendarEnd += 1 }
    }

    /// The applicant is still in the hall: came in within the last hour and a half.
    private var applicantPresent: Bool {
        guard let lastVisit else { return false }
        return cursor - lastVisit <= 90 * HallClock.millisecondsPerMinute
    }

    private var hallActor: String { byKiosk ? "system" : clerk }

    /// Another clerk of the case's window for a review or approval step (the same one when alone).
    private mutating func otherClerk() -> String {
        let clerks = year.hall.windows[window].clerks
        guard clerks.count > 1 else { return clerk }
        let other = random.pick(clerks)
        return other == clerk ? clerks[(clerks.firstIndex(of: other)! + 1) % clerks.count] : other
    }

    /// A few minutes after the latest event, the same day; in office hours, no later than closing
    /// time (the remaining minutes are shared out instead).
    private mutating func soon(_ minutes: ClosedRange<Int>) -> Int64 {
        let day = HallClock.day(of: cursor)
        var time = cursor + Int64(random.int(in: minutes)) * HallClock.millisecondsPerMinute + Int64(random.below(60)) * 1000
        let closing = HallClock.instant(day, second: HallClock.closes)
        if cursor < closing, time > closing {
            time = cursor + Int64(random.unit() * Double(closing - cursor))
        }
        return max(cursor, min(time, HallClock.endOfDay(day)))
    }

    /// A few seconds after the latest event, the same day (the self-service kiosk).
    private mutating func moments(_ seconds: ClosedRange<Int>) -> Int64 {
        min(cursor + Int64(random.int(in: seconds)) * 1000, max(cursor, HallClock.endOfDay(HallClock.day(of: cursor))))
    }

    /// When the applicant acts online after the latest event: the same day or one of the next
    /// three, between 8:00 and 22:00.
    private mutating func laterOnline() -> Int64 {
        let day = HallClock.day(of: cursor).adding(days: random.pick([0, 0, 1, 1, 1, 2, 3]))
        let time = HallClock.instant(day, second: ArrivalClock.uploadSecond(&random))
        return time > cursor ? time : cursor + Int64(random.int(in: 10 ... 120)) * HallClock.millisecondsPerMinute
    }

    /// A time on `day`: soon after the latest event if that was the same day, else in office hours.
    private mutating func during(_ day: CivilDate) -> Int64 {
        if day <= HallClock.day(of: cursor) { return soon(5 ... 90) }
        return HallClock.instant(day, second: HallClock.opens + random.below(8 * 3600))
    }

    /// `delay` minutes after the latest event if the hall is open then, else soon after it next opens.
    private mutating func nextHallTime(delay: ClosedRange<Int>) -> Int64? {
        let candidate = cursor + Int64(random.int(in: delay)) * HallClock.millisecondsPerMinute
        let day = HallClock.day(of: candidate)
        guard let working = year.isWorking(day) else { return nil }
        let second = HallClock.secondOfDay(candidate)
        if working, second >= HallClock.opens, second < HallClock.closes { return candidate }
        let opening = working && second < HallClock.opens ? day : year.workingDay(after: day, 1)
        guard let opening else { return nil }
        return HallClock.instant(opening, second: HallClock.opens + random.below(150 * 60))
    }
}
