import Ledger

/// The data of every event type, typed. `Docs/ENCODING.md` gives the JSON and binary forms.
public enum EventData: Sendable, Hashable {
    case submitted(Submission)
    case supplementRequested(materials: [String])
    case supplementReceived
    case accepted(Acceptance)
    case rejected(reason: String)
    case materialsReduced(count: Int, via: ReductionMethod)
    case suspended(procedure: Procedure, reason: String)
    case resumed
    case extended(days: Int)
    case transferred(toWindow: String)
    case stepCompleted(step: Step, opinion: String)
    case visited
    case assisted(agent: String)
    case approved(certificate: Certificate?)
    case denied(reason: String)
    case withdrawn(reason: String)
    case delivered(method: DeliveryMethod)
    case evaluated(Evaluation)
    case followedUp
    case rectified(note: String)
    /// 反馈: the reviewer was told what was done about the bad review.
    case feedbackGiven(note: String)
    /// 申诉复核: the bureau asks that a bad review it holds mistaken or malicious be excluded.
    case appealed(ground: AppealGround, reason: String)
    /// The appeal's decision: excluded from the rates, or dismissed (the review stands).
    case appealDecided(excluded: Bool, reason: String)
    case itemPublished(CatalogItem)
    case itemRevised(CatalogItem)
    case departmentGranted(DepartmentGrant)
    case departmentGrantRevoked(DepartmentGrant)
    case contactRead(ContactAccess)
    case contactErased(ContactAccess)

    public var type: EventType {
        switch self {
        case .submitted: .submitted
        case .supplementRequested: .supplementRequested
        case .supplementReceived: .supplementReceived
        case .accepted: .accepted
        case .rejected: .rejected
        case .materialsReduced: .materialsReduced
        case .suspended: .suspended
        case .resumed: .resumed
        case .extended: .extended
        case .transferred: .transferred
        case .stepCompleted: .stepCompleted
        case .visited: .visited
        case .assisted: .assisted
        case .approved: .approved
        case .denied: .denied
        case .withdrawn: .withdrawn
        case .delivered: .delivered
        case .evaluated: .evaluated
        case .followedUp: .followedUp
        case .rectified: .rectified
        case .feedbackGiven: .feedbackGiven
        case .appealed: .appealed
        case .appealDecided: .appealDecided
        case .itemPublished: .itemPublished
        case .itemRevised: .itemRevised
        case .departmentGranted: .departmentGranted
        case .departmentGrantRevoked: .departmentGrantRevoked
        case .contactRead: .contactRead
        case .contactErased: .contactErased
        }
    }
}

/// `submitted`: what was applied for, how, and by whom (a pseudonym, never an ID-card number).
public struct Submission: Sendable, Hashable {
    public var item: String
    public var channel: Channel
    public var applicant: Applicant
    /// The partner region of a cross-region (跨域通办) case.
    public var crossRegion: String?
    /// The 一件事一次办 theme (一事联办, e.g. `T01` 我要开餐馆) the application is part of; the
    /// item must belong to it in the catalog.
    public var theme: String?

    public init(item: String, channel: Channel, applicant: Applicant, crossRegion: String? = nil, theme: String? = nil) {
        self.item = item
        self.channel = channel
        self.applicant = applicant
        self.crossRegion = crossRegion
        self.theme = theme
    }
}

public struct Applicant: Sendable, Hashable {
    public var kind: ApplicantKind
    public var ref: String
    public init(kind: ApplicantKind, ref: String) {
        self.kind = kind
        self.ref = ref
    }
}

/// `accepted` (受理): the clock starts. The limits are snapshotted from the catalog and the
/// deadline computed, so a later catalog change never rewrites this case's history.
public struct Acceptance: Sendable, Hashable {
    public var item: String
    public var window: String
    public var legalDays: Int
    public var promisedDays: Int
    /// The promised deadline: `promisedDays` working days after the acceptance date.
    public var deadline: CivilDate

    public init(item: String, window: String, legalDays: Int, promisedDays: Int, deadline: CivilDate) {
        self.item = item
        self.window = window
        self.legalDays = legalDays
        self.promisedDays = promisedDays
        self.deadline = deadline
    }
}

public struct Certificate: Sendable, Hashable {
    public var number: String
    public var electronic: Bool
    /// Entered into the electronic certificate library (电子证照入库) when issued, so other
    /// departments can reuse it; only an electronic certificate can be.
    public var inLibrary: Bool
    public init(number: String, electronic: Bool, inLibrary: Bool = false) {
        self.number = number
        self.electronic = electronic
        self.inLibrary = inLibrary
    }
}

/// 好差评: level 1 非常满意 … 5 非常不满意; 4 and 5 are bad reviews (差评).
public struct Evaluation: Sendable, Hashable {
    public var level: Int
    public var channel: ReviewChannel
    public var comment: String?

    public init(level: Int, channel: ReviewChannel, comment: String? = nil) {
        self.level = level
        self.channel = channel
        self.comment = comment
    }

    public var isBad: Bool { level >= 4 }
}

/// A service item (政务服务事项) of the catalog.
public struct CatalogItem: Sendable, Hashable {
    public var code: String
    public var name: String
    public var department: String
    public var level: ServiceLevel
    /// 法定办结时限, working days (0: none set in law).
    public var legalDays: Int
    /// 承诺办结时限, working days (0: decided on the spot).
    public var promisedDays: Int
    public var caseType: CaseType
    public var onlineCapable: Bool
    public var maxVisits: Int
    public var crossProvince: Bool
    public var metroCircle: Bool
    /// 一事联办 theme ids.
    public var themes: [String]

    public init(code: String, name: String, department: String, level: ServiceLevel, legalDays: Int,
                promisedDays: Int, caseType: CaseType, onlineCapable: Bool, maxVisits: Int,
                crossProvince: Bool, metroCircle: Bool, themes: [String]) {
        self.code = code
        self.name = name
        self.department = department
        self.level = level
        self.legalDays = legalDays
        self.promisedDays = promisedDays
        self.caseType = caseType
        self.onlineCapable = onlineCapable
        self.maxVisits = maxVisits
        self.crossProvince = crossProvince
        self.metroCircle = metroCircle
        self.themes = themes
    }
}
