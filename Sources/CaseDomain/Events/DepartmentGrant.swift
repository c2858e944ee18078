import Ledger

/// `departmentGranted` and `departmentGrantRevoked`, on the ``CaseNumber/administration`` stream:
/// a 首席服务员 (chief clerk) may accept the items of a department their window does not host
/// (一人受理、全程服务), from the grant until its revocation. Who granted or revoked, and when, are
/// the event's actor and time, so the log shows who could accept what at any moment.
public struct DepartmentGrant: Sendable, Hashable {
    /// The clerk granted, as in `windows.json` and as the actor of their events (`clerk-06`).
    public var clerk: String
    /// The department whose items the clerk may accept, as the catalog names it (`水务`).
    public var department: String

    public init(clerk: String, department: String) {
        self.clerk = clerk
        self.department = department
    }

    func encode(into w: inout ByteWriter) {
        w.string(clerk)
        w.string(department)
    }

    static func decode(_ r: inout ByteReader) throws(ByteDecodingError) -> DepartmentGrant {
        DepartmentGrant(clerk: try r.string(), department: try r.string())
    }

    init(reading d: DataReader) throws(DataError) {
        try d.only(["clerk", "department"])
        self.init(clerk: try d.string("clerk", maxBytes: 64), department: try d.string("department", maxBytes: 100))
    }

    func writeFields(into w: inout JSONWriter) {
        w.field("clerk", clerk)
        w.field("department", department)
    }
}

extension CaseNumber {
    /// The stream of the hall's administration: departments granted to clerks and revoked.
    public static let administration = CaseNumber(unvalidated: "ADMIN")

    /// True for a stream that holds no case: the catalog, the access log, the administration.
    public var isReferenceStream: Bool { self == .catalog || self == .contactAccess || self == .administration }
}

extension EventType {
    /// True for the events of the administration stream.
    public var isAdministration: Bool { self == .departmentGranted || self == .departmentGrantRevoked }
}

extension EventData {
    /// The grant of a `departmentGranted` or `departmentGrantRevoked`, else nil.
    public var grant: DepartmentGrant? {
        switch self {
        case .departmentGranted(let grant), .departmentGrantRevoked(let grant): grant
        default: nil
        }
    }
}
