import Ledger

/// The case state machine: which event each state allows, and the facts an event must carry.
/// Every append and every imported line passes through `admit`.
public struct CaseRules: Sendable {
    public var catalog: Catalog
    public let calendar: WorkCalendar
    /// The hall's windows; nil leaves windows and departments unchecked (Docs/HALLRULES.md).
    public var hall: HallRoster?
    /// The departments granted to clerks, over time.
    public var grants: GrantBook

    public init(catalog: Catalog, calendar: WorkCalendar, hall: HallRoster? = nil, grants: GrantBook = GrantBook()) {
        self.catalog = catalog
        self.calendar = calendar
        self.hall = hall
        self.grants = grants
    }

    /// Checks `data` against the case as it stands; see `admit(_:at:by:to:)` for a request.
    public func admit(_ data: EventData, at: Timestamp, by actor: String? = nil, to file: CaseFile) throws(RuleViolation) -> EventData {
        try admit(EventRequest(data), at: at, by: actor, to: file)
    }

    /// Checks `request` against the case as it stands and returns the data to record: an
    /// acceptance gets its limits from the catalog in force at `at` (unless given) and its
    /// computed deadline. `actor` is who records it: an acceptance outside the departments its
    /// window hosts needs a grant to them.
    /// - Throws: `RuleViolation` naming the case, its state and the reason.
    public func admit(_ request: EventRequest, at: Timestamp, by actor: String? = nil, to file: CaseFile) throws(RuleViolation) -> EventData {
        if file.caseNumber == .catalog {
            guard case .record(let data) = request else {
                throw RuleViolation(subject: "the catalog stream", state: "catalog", event: request.type,
                                    reason: "only itemPublished and itemRevised belong to \(CaseNumber.catalog)")
            }
            try catalog.check(data, at: at)
            return data
        }
        if file.caseNumber == .contactAccess || request.isContactAccess {
            let admitted = try admitAccess(request, to: file)
            try checkPersonalData(admitted) { RuleViolation(subject: "stream \(file.caseNumber)", state: "the access log", event: request.type, reason: $0) }
            return admitted
        }
        if file.caseNumber == .administration || request.type.isAdministration { return try admitAdministration(request, at: at, to: file) }
        let state = file.status?.rawValue ?? "new"
        func refuse(_ reason: String) -> RuleViolation {
            RuleViolation(subject: "case \(file.caseNumber)", state: state, event: request.type, reason: reason)
        }
        if let last = file.lastEventAt, at < last {
            throw refuse("it is dated \(at.chinaTime), before the case's previous event at \(last.chinaTime)")
        }
        let day = CivilDate(instantMilliseconds: at.milliseconds)
        do { _ = try calendar.isWorkingDay(day) } catch { throw refuse(error.description) }

        guard let status = file.status else {
            guard case .record(let data) = request, case .submitted(let s) = data else { throw refuse("a case starts with submitted") }
            let item = try self.item(s.item, at: at, refuse)
            if let theme = s.theme, !item.themes.contains(theme) {
                throw refuse("item \(s.item) is not part of the 一件事 theme \(theme)"
                    + (item.themes.isEmpty ? " (it belongs to none)" : " (its themes: \(item.themes.joined(separator: ", ")))"))
            }
            try checkPersonalData(data, refuse)
            return data
        }
        let data: EventData
        switch request {
        case .accept(let a):
            guard status == .submitted else {
                throw refuse(status == .awaitingSupplement ? "the requested supplement has not been received" : "only a submitted case can be accepted")
            }
            return .accepted(try complete(a, at: at, by: actor, refuse))
        case .record(.accepted(let a)):
            return try admit(.accept(AcceptanceRequest(a)), at: at, by: actor, to: file)
        case .record(let given):
            data = given
        }
        // Values the stored encoding cannot hold (or the domain does not have) are refused here,
        // as the JSON reader refuses them, rather than trapping when the payload is encoded.
        switch data {
        case .evaluated(let e) where !(1 ... 5).contains(e.level): throw refuse("level \(e.level) is not 1–5")
        case .extended(let days) where !(1 ... 60).contains(days): throw refuse("\(days) days is not 1–60")
        case .materialsReduced(let count, _) where !(1 ... 1000).contains(count): throw refuse("count \(count) is not 1–1000")
        case .approved(let certificate?) where certificate.inLibrary && !certificate.electronic:
            throw refuse("only an electronic certificate enters the certificate library")
        default: break
        }
        // Personal numbers first: whatever else is wrong, such text must not be retried as it is.
        try checkPersonalData(data, refuse)
        let open = status.isOpen
        switch data {
        case .submitted: throw refuse("the case was already submitted")
        case .itemPublished, .itemRevised: throw refuse("catalog events belong to the \(CaseNumber.catalog) stream")
        case .contactRead, .contactErased: throw refuse("access events belong to the \(CaseNumber.contactAccess) stream")
        case .supplementRequested where status != .submitted: throw refuse("supplements are requested before acceptance")
        case .supplementReceived where status != .awaitingSupplement: throw refuse("no supplement was requested")
        case .rejected where status != .submitted && status != .awaitingSupplement:
            throw refuse("only a case not yet accepted can be rejected")
        case .materialsReduced where !open, .assisted where !open, .withdrawn where !open:
            throw refuse("the case is closed")
        case .suspended where status != .processing: throw refuse("only a case in processing can be suspended")
        case .resumed where status != .suspended: throw refuse("the case is not suspended")
        case .extended where status != .processing && status != .suspended: throw refuse("only an accepted, open case can be extended")
        case .extended where file.extended: throw refuse("the limit may be extended once")
        case .transferred where status != .processing && status != .suspended: throw refuse("only an accepted, open case can be transferred")
        case .transferred(let to) where to == file.window: throw refuse("the case is already at window \(to)")
        case .transferred(let to): _ = try checkWindow(to, refuse)
        case .stepCompleted where status != .processing: throw refuse("steps are completed while the case is in processing")
        case .approved where status != .processing, .denied where status != .processing:
            throw refuse(status == .suspended ? "resume the case first" : "only a case in processing can be decided")
        case .delivered where status != .approved: throw refuse("only an approved case is delivered")
        case .evaluated:
            let occasions = file.visits + (status.isCompleted || status == .rejected ? 1 : 0)
            guard occasions > file.evaluations.count else {
                throw refuse("a review follows a visit or the completion, one each (\(file.evaluations.count) already given)")
            }
        case .followedUp, .appealed, .appealDecided, .rectified, .feedbackGiven:
            if let reason = badReviewRefusal(data.type, in: file) { throw refuse(reason) }
        default: break
        }
        return data
    }

    private func complete(_ a: AcceptanceRequest, at: Timestamp, by actor: String?,
                          _ refuse: (String) -> RuleViolation) throws(RuleViolation) -> Acceptance {
        let day = CivilDate(instantMilliseconds: at.milliseconds)
        let item = try self.item(a.item, at: at, refuse)
        if let window = try checkWindow(a.window, refuse) {
            try checkDepartment(of: item, at: window, by: actor, at: at, refuse)
        }
        let legalDays = a.legalDays ?? item.legalDays
        let promisedDays = a.promisedDays ?? item.promisedDays
        for (name, days) in [("legalDays", legalDays), ("promisedDays", promisedDays)] where !(0 ... 3650).contains(days) {
            throw refuse("\(name) \(days) is not 0–3650")
        }
        if legalDays > 0, promisedDays > legalDays {
            throw refuse("promised \(promisedDays) days exceed the legal \(legalDays)")
        }
        let deadline: CivilDate
        do { deadline = try calendar.deadline(acceptedOn: day, workingDays: promisedDays) } catch {
            throw refuse(error.description)
        }
        if let given = a.deadline, given != deadline {
            throw refuse("deadline \(given) differs from the computed \(deadline) (\(promisedDays) working days after \(day))")
        }
        return Acceptance(item: a.item, window: a.window, legalDays: legalDays, promisedDays: promisedDays, deadline: deadline)
    }
}
