import Ledger

/// The cases accepted under a grant (首席服务员: a clerk accepting a department their window does
/// not host), by clerk and department, read from the log: the acceptances, the catalog as it was
/// at each, and the grants in force then.
public struct GrantedAcceptances: Sendable, Hashable, Encodable {
    public struct Row: Sendable, Hashable, Encodable {
        public var clerk: String
        /// The clerk's own window (windows.json), or "" for someone who is no clerk of the hall.
        public var window: String
        public var department: String
        /// Cases the clerk accepted of this department under the grant.
        public var accepted: Int
        /// When the grant held at the latest of these acceptances was made, and by whom.
        public var grantedAt: String
        public var grantedBy: String

        public init(clerk: String, window: String, department: String, accepted: Int, grantedAt: String, grantedBy: String) {
            self.clerk = clerk
            self.window = window
            self.department = department
            self.accepted = accepted
            self.grantedAt = grantedAt
            self.grantedBy = grantedBy
        }
    }

    /// `all`, `2023`, `2023Q3` or `Q3` (acceptances dated in it, China Standard Time).
    public var period: String
    public var rows: [Row]
    /// Acceptances under a grant in the period.
    public var underGrant: Int
    /// Every acceptance in the period.
    public var acceptances: Int
    public var formula: String

    public static let formulaText = "under a grant: an acceptance at a window that does not host the item's department (catalog in force then), by a clerk holding a grant of it at that moment"

    /// Scans the log. `year` and `quarter` (1–4) keep the acceptances dated in them.
    public static func read(store: EventStore, hall: HallRoster, year: Int? = nil, quarter: Int? = nil) throws -> GrantedAcceptances {
        var catalog = Catalog()
        var grants = GrantBook()
        var acceptances = 0
        struct Key: Hashable { var clerk: String; var department: String }
        var counts: [Key: (count: Int, period: GrantBook.Period)] = [:]
        _ = try store.scan(from: 1) { view in
            let stream = view.stream
            if stream == .catalog {
                catalog.apply(try view.data(), at: view.at)
                return true
            }
            if stream == .administration {
                grants.apply(try view.data(), at: view.at, actor: view.actor)
                return true
            }
            guard try view.type == .accepted else { return true }
            let day = CivilDate(instantMilliseconds: view.at.milliseconds)
            if let year, day.year != year { return true }
            if let quarter, (day.month - 1) / 3 + 1 != quarter { return true }
            acceptances += 1
            guard case .accepted(let a) = try view.data(), let window = hall.window(a.window),
                  let item = catalog.item(a.item, asOf: view.at), !hall.hosts(window, department: item.department)
            else { return true }
            let actor = view.actor
            guard let period = grants.periods.last(where: { $0.clerk == actor && $0.department == item.department && $0.covers(view.at) })
            else { return true }
            let key = Key(clerk: actor, department: item.department)
            counts[key] = ((counts[key]?.count ?? 0) + 1, period)
            return true
        }
        let rows = counts.map { key, value in
            Row(clerk: key.clerk, window: hall.window(ofClerk: key.clerk)?.id ?? "", department: key.department, accepted: value.count,
                grantedAt: value.period.grantedAt.chinaTime, grantedBy: value.period.grantedBy)
        }.sorted { ($0.clerk, $0.department) < ($1.clerk, $1.department) }
        let label = switch (year, quarter) {
        case (nil, nil): "all"
        case let (y?, nil): "\(y)"
        case let (y?, q?): "\(y)Q\(q)"
        case let (nil, q?): "Q\(q)"
        }
        return GrantedAcceptances(period: label, rows: rows, underGrant: rows.reduce(0) { $0 + $1.accepted },
                                  acceptances: acceptances, formula: formulaText)
    }
}
