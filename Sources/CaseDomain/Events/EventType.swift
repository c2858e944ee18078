import Ledger

/// Every kind of event of the case domain, with its stable one-byte code in stored records (the
/// log's `EventTypeCode`) and its name in JSON Lines. Codes are never reused or renumbered; new
/// types take new codes (a test pins every one).
public enum EventType: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case submitted = 1
    case supplementRequested = 2
    case supplementReceived = 3
    case accepted = 4
    case rejected = 5
    case materialsReduced = 6
    case suspended = 7
    case resumed = 8
    case extended = 9
    case transferred = 10
    case stepCompleted = 11
    case visited = 12
    case assisted = 13
    case approved = 14
    case denied = 15
    case withdrawn = 16
    case delivered = 17
    case evaluated = 18
    case followedUp = 19
    case rectified = 20
    // The rest of the 差评 loop (Docs/REVIEWS.md): feedback to the reviewer, the bureau's appeal, its decision.
    case feedbackGiven = 21
    case appealed = 22
    case appealDecided = 23
    // The catalog stream: a change to the item list is history too.
    case itemPublished = 64
    case itemRevised = 65
    // The administration stream: a 首席服务员's grant of a department's items, and its revocation.
    case departmentGranted = 80
    case departmentGrantRevoked = 81
    // The access stream: each read of an applicant's contact data, and each erasure.
    case contactRead = 96
    case contactErased = 97

    public var name: String {
        switch self {
        case .submitted: "submitted"
        case .supplementRequested: "supplementRequested"
        case .supplementReceived: "supplementReceived"
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .materialsReduced: "materialsReduced"
        case .suspended: "suspended"
        case .resumed: "resumed"
        case .extended: "extended"
        case .transferred: "transferred"
        case .stepCompleted: "stepCompleted"
        case .visited: "visited"
        case .assisted: "assisted"
        case .approved: "approved"
        case .denied: "denied"
        case .withdrawn: "withdrawn"
        case .delivered: "delivered"
        case .evaluated: "evaluated"
        case .followedUp: "followedUp"
        case .rectified: "rectified"
        case .feedbackGiven: "feedbackGiven"
        case .appealed: "appealed"
        case .appealDecided: "appealDecided"
        case .itemPublished: "itemPublished"
        case .itemRevised: "itemRevised"
        case .departmentGranted: "departmentGranted"
        case .departmentGrantRevoked: "departmentGrantRevoked"
        case .contactRead: "contactRead"
        case .contactErased: "contactErased"
        }
    }

    public var description: String { name }

    /// Whether events of this type belong to a case's stream (not to the catalog's, the access log's
    /// or the administration's).
    public var isCaseEvent: Bool {
        switch self {
        case .itemPublished, .itemRevised, .contactRead, .contactErased, .departmentGranted, .departmentGrantRevoked: false
        case .submitted, .supplementRequested, .supplementReceived, .accepted, .rejected, .materialsReduced, .suspended,
             .resumed, .extended, .transferred, .stepCompleted, .visited, .assisted, .approved, .denied, .withdrawn,
             .delivered, .evaluated, .followedUp, .rectified, .feedbackGiven, .appealed, .appealDecided: true
        }
    }

    /// The code the log stores.
    public var code: EventTypeCode { EventTypeCode(rawValue) }

    /// The type a stored code names, or nil for a code this domain does not know.
    public init?(code: EventTypeCode) { self.init(rawValue: code.rawValue) }

    private static let byName: [String: EventType] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The type with this JSON Lines name, or nil.
    public init?(name: String) {
        guard let type = EventType.byName[name] else { return nil }
        self = type
    }
}
