import Ledger

/// An event as a clerk or an interchange line gives it, before the rules admit it. It is the data
/// the ledger will record, except that an acceptance may leave its limits and deadline to the
/// ledger (taken from the catalog and the calendar); `CaseRules.admit` turns it into the
/// `EventData` that is recorded.
public enum EventRequest: Sendable, Hashable {
    /// 受理, with what the clerk gave of it.
    case accept(AcceptanceRequest)
    /// Any event whose data is recorded as given.
    case record(EventData)

    /// The request for `data` as it stands (an acceptance with every field given).
    public init(_ data: EventData) {
        if case .accepted(let a) = data {
            self = .accept(AcceptanceRequest(a))
        } else {
            self = .record(data)
        }
    }

    public var type: EventType {
        switch self {
        case .accept: .accepted
        case .record(let data): data.type
        }
    }

    /// Whether `recorded` is what this request was admitted as: the same data, where an
    /// acceptance's missing limits and deadline may be whatever the ledger filled in. An
    /// idempotent retry (same event id) must pass this.
    public func isRecorded(as recorded: EventData) -> Bool {
        switch self {
        case .accept(let given):
            guard case .accepted(let r) = recorded else { return false }
            return given.item == r.item && given.window == r.window
                && given.legalDays.map { $0 == r.legalDays } ?? true
                && given.promisedDays.map { $0 == r.promisedDays } ?? true
                && given.deadline.map { $0 == r.deadline } ?? true
        case .record(let data):
            return data == recorded
        }
    }
}

/// `accepted` as the clerk gives it: the item and the window; the limits and the deadline when
/// the clerk states them (they must then agree with the catalog's calendar arithmetic), else the
/// ledger fills them in.
public struct AcceptanceRequest: Sendable, Hashable {
    public var item: String
    public var window: String
    public var legalDays: Int?
    public var promisedDays: Int?
    public var deadline: CivilDate?

    public init(item: String, window: String, legalDays: Int? = nil, promisedDays: Int? = nil, deadline: CivilDate? = nil) {
        self.item = item
        self.window = window
        self.legalDays = legalDays
        self.promisedDays = promisedDays
        self.deadline = deadline
    }

    /// Everything given, as recorded.
    public init(_ acceptance: Acceptance) {
        self.init(item: acceptance.item, window: acceptance.window, legalDays: acceptance.legalDays,
                  promisedDays: acceptance.promisedDays, deadline: acceptance.deadline)
    }
}

/// Whether `stored` is the event a retry gives again: same case, type, time, actor and data (an
/// acceptance may leave out the limits and deadline the ledger filled in). The one comparison of
/// both `CaseLedger.record` and the import.
func isRecorded(_ request: EventRequest, to caseNumber: CaseNumber, at: Timestamp, actor: String,
                as stored: RecordedEvent) throws -> Bool {
    guard stored.caseNumber == caseNumber, try stored.type == request.type, stored.at == at, stored.actor == actor
    else { return false }
    return request.isRecorded(as: try stored.data())
}
