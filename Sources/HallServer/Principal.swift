/// What a token holder may do in the hall.
public enum HallRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Works at windows: appends to the cases at those windows and takes new submissions.
    case clerk
    /// Supervises the hall: every window, the board, the reports.
    case manager
    /// Reads the statistics and the dashboard; no case-level data.
    case analyst
    /// Reads everything — cases, histories, the chain check — and writes nothing.
    case auditor
    /// Keeps the tokens and the catalog.
    case admin

    /// How the hall says it.
    public var label: String {
        switch self {
        case .clerk: "窗口工作人员"
        case .manager: "大厅管理"
        case .analyst: "统计分析"
        case .auditor: "审计"
        case .admin: "系统管理"
        }
    }
}

/// The authenticated holder of a token: the actor of every event they record.
public struct Principal: Sendable, Hashable {
    /// Recorded as the events' actor (e.g. `clerk-07`).
    public var name: String
    public var role: HallRole
    /// A clerk's windows.
    public var windows: Set<String>
    /// A 首席服务员's granted departments: they may also act on these departments' items.
    public var departments: Set<String>

    public init(name: String, role: HallRole, windows: Set<String> = [], departments: Set<String> = []) {
        self.name = name
        self.role = role
        self.windows = windows
        self.departments = departments
    }
}
