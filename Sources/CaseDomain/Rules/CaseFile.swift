import Ledger

/// Where a case stands in its lifecycle (Docs/DOMAIN.md §Case lifecycle).
public enum CaseStatus: String, Sendable, CaseIterable {
    case submitted, awaitingSupplement, processing, suspended
    case rejected, approved, denied, withdrawn, delivered

    /// Still being worked on (counts in queues and overdue lists).
    public var isOpen: Bool { [.submitted, .awaitingSupplement, .processing, .suspended].contains(self) }
    /// Accepted and then decided (approved, denied, withdrawn, delivered).
    public var isCompleted: Bool { [.approved, .denied, .withdrawn, .delivered].contains(self) }
}

/// Everything the case rules need to know about one case, folded from its events.
public struct CaseFile: Sendable, Hashable {
    public let caseNumber: CaseNumber
    /// nil before the first event.
    public internal(set) var status: CaseStatus?
    /// Last event's version; nil before the first event.
    public internal(set) var version: UInt32?
    public internal(set) var lastEventAt: Timestamp?
    public internal(set) var submission: Submission?
    public internal(set) var acceptance: Acceptance?
    public internal(set) var acceptedAt: Timestamp?
    public internal(set) var window: String?
    public internal(set) var extensionDays = 0
    public internal(set) var suspensions: [SuspensionPeriod] = []
    public internal(set) var completedAt: Timestamp?
    public internal(set) var visits = 0
    public internal(set) var materialsReduced = 0
    public internal(set) var assisted = false
    public internal(set) var evaluations: [Evaluation] = []
    /// Every bad review (差评) of the case and the steps taken on it, oldest first.
    public internal(set) var badReviews: [BadReview] = []

    public init(caseNumber: CaseNumber) { self.caseNumber = caseNumber }

    public var exists: Bool { status != nil }
    public var isSuspended: Bool { status == .suspended }
    public var extended: Bool { extensionDays > 0 }

    /// Folds one event in. Assumes `CaseRules` accepted it.
    public mutating func apply(_ data: EventData, at: Timestamp) {
        apply(data.type, at: at) { data }
    }

    /// Folds one event in, asking `content` for the event's data only where the file keeps
    /// something of it (a submission, an acceptance, a count of materials, an extension, a
    /// transfer, a review, an appeal and its decision). A view replaying the log passes a decoder here, so the payloads of
    /// every other type are never read.
    public mutating func apply<Failure: Error>(_ type: EventType, at: Timestamp,
                                               content: () throws(Failure) -> EventData) throws(Failure) {
        version = version.map { $0 + 1 } ?? 0
        lastEventAt = at
        let day = CivilDate(instantMilliseconds: at.milliseconds)
        switch type {
        case .submitted:
            status = .submitted
            if case .submitted(let s) = try content() { submission = s }
        case .supplementRequested: status = .awaitingSupplement
        case .supplementReceived: status = .submitted
        case .accepted:
            guard case .accepted(let a) = try content() else { return }
            status = .processing
            acceptance = a
            acceptedAt = at
            window = a.window
        case .rejected:
            status = .rejected
            completedAt = at
        case .materialsReduced:
            if case .materialsReduced(let count, _) = try content() { materialsReduced += count }
        case .suspended:
            status = .suspended
            suspensions.append(SuspensionPeriod(start: day, end: nil))
        case .resumed:
            status = .processing
            if !suspensions.isEmpty { suspensions[suspensions.count - 1].end = day }
        case .extended:
            if case .extended(let days) = try content() { extensionDays += days }
        case .transferred:
            if case .transferred(let to) = try content() { window = to }
        case .stepCompleted: break
        case .visited: visits += 1
        case .assisted: assisted = true
        case .approved:
            status = .approved
            completedAt = at
        case .denied:
            status = .denied
            completedAt = at
        case .withdrawn:
            status = .withdrawn
            completedAt = at
        case .delivered: status = .delivered
        case .evaluated:
            guard case .evaluated(let e) = try content() else { return }
            evaluations.append(e)
            if e.isBad {
                badReviews.append(BadReview(ordinal: evaluations.count - 1, level: e.level, reviewedAt: at, window: window))
            }
        case .followedUp, .rectified, .feedbackGiven:
            if let i = badReviewIndex(for: type) { badReviews[i].record(type, at: at) }
        case .appealed:
            guard let i = badReviewIndex(for: type), case .appealed(let ground, _) = try content() else { return }
            badReviews[i].record(type, at: at, ground: ground)
        case .appealDecided:
            guard let i = badReviewIndex(for: type), case .appealDecided(let excluded, _) = try content() else { return }
            badReviews[i].record(type, at: at, excluded: excluded)
        case .itemPublished, .itemRevised, .contactRead, .contactErased, .departmentGranted, .departmentGrantRevoked: break
        }
    }
}
