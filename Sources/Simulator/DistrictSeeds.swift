import CaseDomain
import Foundation

/// The district's reference data from `seeds/`: the catalog, the hall's windows and clerks, the
/// demand profile, and the 差评 loop's limits of `rules.json`.
///
/// ```swift
/// let seeds = try DistrictSeeds.load(directory: root.appendingPathComponent("seeds"))
/// let window = seeds.window(forDepartment: "人社")   // W03 人社社保窗口
/// ```
public struct DistrictSeeds: Sendable {
    /// The service items, in `catalog.jsonl` order.
    public var catalog: [CatalogItem]
    /// The hall's windows, in `windows.json` order.
    public var windows: [ServiceWindow]
    public var demand: DemandProfile
    /// The 差评 loop's limits (`badReview` in `rules.json`).
    public var badReview: BadReviewLimits
    /// The 首席服务员 and their granted departments (`grants.json`).
    public var chiefClerks: ChiefClerks
    /// The day the catalog comes into force (`catalog.jsonl`'s first line), if it says.
    public var catalogEffective: CivilDate?

    public init(catalog: [CatalogItem], windows: [ServiceWindow], demand: DemandProfile,
                badReview: BadReviewLimits = .standard, chiefClerks: ChiefClerks = ChiefClerks(),
                catalogEffective: CivilDate? = nil) {
        self.catalog = catalog
        self.windows = windows
        self.demand = demand
        self.badReview = badReview
        self.chiefClerks = chiefClerks
        self.catalogEffective = catalogEffective
    }

    /// Loads `catalog.jsonl`, `windows.json`, `demand.json`, `rules.json` and (when there)
    /// `grants.json` from `directory`.
    /// - Throws: `SeedError` naming the file and what is wrong with it.
    public static func load(directory: URL) throws(SeedError) -> DistrictSeeds {
        let catalogFile = try CatalogFile.load(from: directory.appendingPathComponent("catalog.jsonl"))
        let catalog = catalogFile.items
        guard !catalog.isEmpty else { throw SeedError(path: directory.appendingPathComponent("catalog.jsonl").path, reason: "it lists no items") }
        return DistrictSeeds(
            catalog: catalog,
            windows: try ServiceWindow.load(from: directory.appendingPathComponent("windows.json")),
            demand: try DemandProfile.load(from: directory.appendingPathComponent("demand.json")),
            badReview: try BadReviewLimits.load(from: directory.appendingPathComponent("rules.json")),
            chiefClerks: try ChiefClerks.load(from: directory.appendingPathComponent("grants.json")),
            catalogEffective: catalogFile.effective)
    }

    /// The 综合窗口, which takes items no department window names.
    public var fallbackWindow: ServiceWindow {
        windows.first(where: \.fallback) ?? windows[0]
    }

    /// The first window listing `department`, else the fallback window.
    public func window(forDepartment department: String) -> ServiceWindow {
        windows.first { $0.departments.contains(department) } ?? fallbackWindow
    }

    /// The window with `role`, if the hall has one.
    public func window(withRole role: ServiceWindow.Role) -> ServiceWindow? {
        windows.first { $0.role == role }
    }

    /// The catalog item named exactly `name` (the report names some: 武汉通公交卡办理 …).
    public func item(named name: String) -> CatalogItem? {
        catalog.first { $0.name == name }
    }
}
