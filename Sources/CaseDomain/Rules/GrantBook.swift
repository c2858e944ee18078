import Ledger

/// Every department granted to a clerk, with when and by whom it was granted and revoked, folded
/// from the administration stream. It answers "could this clerk accept this department's items
/// at that moment?" for any moment, so a case accepted last year is judged by last year's grants.
public struct GrantBook: Sendable, Hashable {
    /// One grant, from `grantedAt` until `revokedAt` (open while nil).
    public struct Period: Sendable, Hashable {
        public var clerk: String
        public var department: String
        public var grantedAt: Timestamp
        public var grantedBy: String
        public var revokedAt: Timestamp?
        public var revokedBy: String?
        /// The seq of the `departmentGranted` event that made it (its id), once it is in the log.
        public var seq: UInt64?

        /// In force at `moment`: granted at or before it, and not revoked by then.
        public func covers(_ moment: Timestamp) -> Bool {
            grantedAt <= moment && revokedAt.map { moment < $0 } ?? true
        }
    }

    /// Every grant, in the order granted.
    public private(set) var periods: [Period] = []
    /// Indices into `periods` by clerk and department.
    private var byPair: [Pair: [Int]] = [:]

    private struct Pair: Hashable {
        var clerk: String
        var department: String
    }

    public init() {}

    /// The administration stream of `store` folded, every grant with the seq that made it.
    public static func read(from store: EventStore) throws -> GrantBook {
        var book = GrantBook()
        try store.scan(of: CaseNumber.administration) { view in
            book.apply(try view.data(), at: view.at, actor: view.actor, seq: view.seq)
            return true
        }
        return book
    }

    /// Whether `clerk` held a grant of `department` at `moment`.
    public func isGranted(clerk: String, department: String, at moment: Timestamp) -> Bool {
        byPair[Pair(clerk: clerk, department: department)]?.contains { periods[$0].covers(moment) } ?? false
    }

    /// The grant of `department` to `clerk` not revoked yet, if any.
    public func open(clerk: String, department: String) -> Period? {
        guard let index = byPair[Pair(clerk: clerk, department: department)]?.last, periods[index].revokedAt == nil else { return nil }
        return periods[index]
    }

    /// The grants in force at `moment`, in the order granted.
    public func inForce(at moment: Timestamp) -> [Period] { periods.filter { $0.covers(moment) } }

    /// Folds one administration event in (`seq`: where it is in the log, when it is there already).
    /// Assumes `CaseRules` admitted it.
    public mutating func apply(_ data: EventData, at: Timestamp, actor: String, seq: UInt64? = nil) {
        switch data {
        case .departmentGranted(let g):
            let pair = Pair(clerk: g.clerk, department: g.department)
            byPair[pair, default: []].append(periods.count)
            periods.append(Period(clerk: g.clerk, department: g.department, grantedAt: at, grantedBy: actor, seq: seq))
        case .departmentGrantRevoked(let g):
            guard let index = byPair[Pair(clerk: g.clerk, department: g.department)]?.last,
                  periods[index].revokedAt == nil else { return }
            periods[index].revokedAt = at
            periods[index].revokedBy = actor
        default:
            break
        }
    }
}
