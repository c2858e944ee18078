import Ledger

/// The service items in force, folded from the catalog stream's events.
public struct Catalog: Sendable, Hashable {
    /// Each item as it stands now (its latest version).
    public private(set) var items: [String: CatalogItem] = [:]
    /// Each item's versions in the order published, with the moment each came into force (nil:
    /// in force for all time, as for a catalog built from a list).
    private var versions: [String: [Version]] = [:]

    private struct Version: Hashable {
        var from: Timestamp?
        var item: CatalogItem
    }

    public init() {}

    public subscript(code: String) -> CatalogItem? { items[code] }

    /// The item as the catalog in force at `moment` had it, or nil when it was not in force yet.
    public func item(_ code: String, asOf moment: Timestamp) -> CatalogItem? {
        versions[code]?.last(where: { $0.from.map { $0 <= moment } ?? true })?.item
    }

    /// When `code` first came into force (nil: for all time, or not in the catalog).
    public func inForceSince(_ code: String) -> Timestamp? { versions[code]?.first?.from }
    public var isEmpty: Bool { items.isEmpty }

    /// Checks a catalog event against the items in force.
    public func check(_ data: EventData) throws(RuleViolation) {
        if case .itemPublished(let item) = data, item.hasNegativeNumbers { throw Self.negative(item, data, items) }
        if case .itemRevised(let item) = data, item.hasNegativeNumbers { throw Self.negative(item, data, items) }
        switch data {
        case .itemPublished(let item) where items[item.code] != nil:
            throw RuleViolation(subject: "item \(item.code)", state: "published", event: .itemPublished,
                                reason: "it is already in the catalog; use itemRevised to change it")
        case .itemRevised(let item) where items[item.code] == nil:
            throw RuleViolation(subject: "item \(item.code)", state: "not in the catalog", event: .itemRevised,
                                reason: "publish it first")
        case .itemPublished, .itemRevised:
            return
        default:
            throw RuleViolation(subject: "the catalog stream", state: "catalog", event: data.type,
                                reason: "only itemPublished and itemRevised belong to \(CaseNumber.catalog)")
        }
    }

    /// Checks a catalog event coming into force at `at`: as `check(_:)`, and a revision may not
    /// predate the item's current version — a version is in force until the next one, so one
    /// dated earlier would be read as coming after it.
    public func check(_ data: EventData, at: Timestamp) throws(RuleViolation) {
        try check(data)
        if case .itemRevised(let item) = data, let since = versions[item.code]?.last?.from, at < since {
            throw RuleViolation(subject: "item \(item.code)", state: "published", event: .itemRevised,
                                reason: "it would come into force at \(at.chinaTime), before the item's current version (in force from \(since.chinaTime))")
        }
    }

    /// Negative limits or visits cannot be stored (and mean nothing).
    private static func negative(_ item: CatalogItem, _ data: EventData, _ items: [String: CatalogItem]) -> RuleViolation {
        RuleViolation(subject: "item \(item.code)", state: items[item.code] == nil ? "not in the catalog" : "published",
                      event: data.type, reason: "legalDays, promisedDays and maxVisits must not be negative")
    }

    /// Folds a catalog event in; `at` is when it came into force (nil: for all time).
    public mutating func apply(_ data: EventData, at: Timestamp? = nil) {
        switch data {
        case .itemPublished(let item), .itemRevised(let item):
            items[item.code] = item
            versions[item.code, default: []].append(Version(from: at, item: item))
        default:
            break
        }
    }

    /// 1 − Σ promised / Σ legal over the items with a legal limit (Docs/DOMAIN.md §Metrics, catalog compression).
    public var compression: Double {
        var legal = 0, promised = 0
        for item in items.values where item.legalDays > 0 {
            legal += item.legalDays
            promised += item.promisedDays
        }
        return legal == 0 ? 0 : 1 - Double(promised) / Double(legal)
    }
}

extension CatalogItem {
    var hasNegativeNumbers: Bool { legalDays < 0 || promisedDays < 0 || maxVisits < 0 }
}
