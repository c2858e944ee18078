import CaseDomain

/// 1 − Σ promised / Σ legal over catalog items with a legal limit (Docs/DOMAIN.md §Metrics, catalog compression).
public enum CatalogCompression {
    /// nil when no item has a legal limit.
    public static func of(_ items: some Sequence<CatalogItem>) -> Double? {
        var legal: Int64 = 0, promised: Int64 = 0
        for item in items where item.legalDays > 0 {
            legal += Int64(item.legalDays)
            promised += Int64(item.promisedDays)
        }
        return ratio(promised, legal).map { 1 - $0 }
    }
}

/// Labels, order and catalog compression of report rows, from a view's catalog.
public struct ReportLabels {
    public let items: [String: CatalogItem]
    public let catalog: [CatalogItem]

    public init(catalog: [CatalogItem]) {
        self.catalog = catalog
        items = Dictionary(catalog.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// 区级 for a level, the item's name for an item, 未受理 for the reviews of cases never
    /// accepted (they have no window), the key itself otherwise ("—" when empty).
    public func label(_ key: String, _ dimension: ReportDimension) -> String {
        switch dimension {
        case .window: key.isEmpty ? "未受理" : key
        case .quarter, .department, .theme: key.isEmpty ? "—" : key
        case .level: ServiceLevel(rawValue: key)?.chineseName ?? (key.isEmpty ? "—" : key)
        case .item: items[key]?.name ?? key
        }
    }

    /// Levels district, town, village; everything else by key.
    public func order(_ dimension: ReportDimension) -> (String, String) -> Bool {
        guard dimension == .level else { return { $0 < $1 } }
        func rank(_ key: String) -> Int { ServiceLevel(rawValue: key).flatMap { ServiceLevel.allCases.firstIndex(of: $0) } ?? 99 }
        return { (rank($0), $0) < (rank($1), $1) }
    }

    /// The catalog compression of the items a level, department or item row covers (nil for
    /// quarters and windows: the catalog is not kept by them).
    public func catalogCompression(_ key: String, _ dimension: ReportDimension) -> Double? {
        switch dimension {
        case .quarter, .window, .theme: nil
        case .level: CatalogCompression.of(catalog.lazy.filter { $0.level.rawValue == key })
        case .department: CatalogCompression.of(catalog.lazy.filter { $0.department == key })
        case .item: items[key].flatMap { CatalogCompression.of([$0]) }
        }
    }
}
