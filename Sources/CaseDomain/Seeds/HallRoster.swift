/// The hall's windows as the case rules consult them (from `seeds/windows.json`): which windows
/// exist, which departments each hosts, and which window each clerk belongs to.
///
/// A department window hosts the departments it lists. The 综合窗口 and the special windows
/// (帮办代办, 小微企业, 惠企政策, 跨域通办, 自助) take the items of every department: that is what
/// they are for. A clerk accepts another department's items only under a grant (`GrantBook`).
public struct HallRoster: Sendable, Hashable {
    /// The windows, in hall order.
    public let windows: [ServiceWindow]
    private let byID: [String: Int]
    private let windowOfClerk: [String: Int]

    public init(windows: [ServiceWindow]) {
        self.windows = windows
        var byID: [String: Int] = [:]
        var windowOfClerk: [String: Int] = [:]
        for (index, window) in windows.enumerated() {
            if byID[window.id] == nil { byID[window.id] = index }
            for clerk in window.clerks where windowOfClerk[clerk] == nil { windowOfClerk[clerk] = index }
        }
        self.byID = byID
        self.windowOfClerk = windowOfClerk
    }

    /// The window with this id, or nil when the seed has none.
    public func window(_ id: String) -> ServiceWindow? { byID[id].map { windows[$0] } }

    /// The window `clerk` belongs to, or nil for someone who is no clerk of the hall.
    public func window(ofClerk clerk: String) -> ServiceWindow? { windowOfClerk[clerk].map { windows[$0] } }

    /// Whether `window` takes `department`'s items without a grant.
    public func hosts(_ window: ServiceWindow, department: String) -> Bool {
        window.hostsEveryDepartment || window.departments.contains(department)
    }

    /// The window ids, in hall order, for messages.
    public var windowIDs: String {
        let ids = windows.map(\.id)
        return ids.count <= 6 ? ids.joined(separator: ", ") : "\(ids[0]) … \(ids[ids.count - 1])"
    }
}

extension ServiceWindow {
    /// The 综合窗口 and the special windows take every department's items.
    public var hostsEveryDepartment: Bool { fallback || role != nil }
}
