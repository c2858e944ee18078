import Ledger

/// `contactRead` and `contactErased`, on the ``CaseNumber/contactAccess`` stream: someone read an
/// applicant's contact data, or erased it. The applicant is named by pseudonym only and the
/// event carries no personal data, so the log keeps verifying after the contact is erased.
/// Who and when are the event's actor and time.
public struct ContactAccess: Sendable, Hashable {
    /// The applicant's pseudonym, as in `submitted`'s `applicant.ref`.
    public var applicant: String
    /// Why: the call-back (回访) of a bad review, the applicant's request to erase, …
    public var reason: String

    public init(applicant: String, reason: String) {
        self.applicant = applicant
        self.reason = reason
    }

    func encode(into w: inout ByteWriter) {
        w.string(applicant)
        w.string(reason)
    }

    static func decode(_ r: inout ByteReader) throws(ByteDecodingError) -> ContactAccess {
        ContactAccess(applicant: try r.string(), reason: try r.string())
    }

    init(reading d: DataReader) throws(DataError) {
        try d.only(["applicant", "reason"])
        self.init(applicant: try d.string("applicant", maxBytes: 100), reason: try d.string("reason"))
    }

    func writeFields(into w: inout JSONWriter) {
        w.field("applicant", applicant)
        w.field("reason", reason)
    }
}

extension CaseNumber {
    /// The stream of contact reads and erasures (see ``ContactAccess``).
    public static let contactAccess = CaseNumber(unvalidated: "ACCESS")
}

extension EventData {
    /// True for the events of the access stream.
    public var isContactAccess: Bool {
        switch self {
        case .contactRead, .contactErased: true
        default: false
        }
    }
}

extension EventRequest {
    /// True for the events of the access stream.
    public var isContactAccess: Bool {
        if case .record(let data) = self { return data.isContactAccess }
        return false
    }
}

extension CaseRules {
    /// Access events belong to the access stream, and only they do; each names an applicant and
    /// a reason within the sizes an interchange line allows.
    func admitAccess(_ request: EventRequest, to file: CaseFile) throws(RuleViolation) -> EventData {
        func refuse(_ reason: String) -> RuleViolation {
            let state = file.caseNumber == .contactAccess ? "the access log" : file.status?.rawValue ?? "new"
            return RuleViolation(subject: "stream \(file.caseNumber)", state: state, event: request.type, reason: reason)
        }
        guard file.caseNumber == .contactAccess else {
            throw refuse("access events belong to the \(CaseNumber.contactAccess) stream")
        }
        switch request {
        case .record(let data):
            switch data {
            case .contactRead(let access), .contactErased(let access):
                guard !access.applicant.isEmpty, access.applicant.utf8.count <= 100 else {
                    throw refuse("the applicant's pseudonym must be 1–100 bytes")
                }
                guard !access.reason.isEmpty, access.reason.utf8.count <= 1000 else {
                    throw refuse("the reason must be 1–1000 bytes")
                }
                return data
            default: break
            }
        case .accept: break
        }
        throw refuse("only contactRead and contactErased belong to the \(CaseNumber.contactAccess) stream")
    }
}
