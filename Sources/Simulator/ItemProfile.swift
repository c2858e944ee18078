import CaseDomain

/// What the simulator derives once from a catalog item: its home window, who applies, whether
/// it issues a certificate, its cross-region partners, and whether the report counts it.
struct ItemProfile {
    /// Items whose 2023 figures the report gives exactly.
    enum Reported {
        case none
        /// 社会保障卡密码重置: 29 done cross-region.
        case passwordReset
        /// 武汉通公交卡办理: 494 cards done cross-region.
        case wuhanTong
        /// 行业综合许可证核发: 240 licences.
        case industryLicence
    }

    let item: CatalogItem
    /// Index of the department's window (the fallback when none names it).
    let homeWindow: Int
    let enterpriseShare: Double
    let issuesCertificate: Bool
    /// Subsidy and reward items, served at the 惠企政策直达 window for enterprises.
    let isPolicy: Bool
    /// Market and tax items, served at the 小微企业服务专窗 for some enterprises.
    let isSmallBusiness: Bool
    /// High-volume items, taken in part at the 综合窗口 (大综窗).
    let isHighVolume: Bool
    /// Share of cases helped by 帮办代办.
    let assistShare: Double
    /// 跨省通办 and 圈内通办 partners; empty when the item is neither.
    let partners: [String]
    let reported: Reported

    init(item: CatalogItem, homeWindow: Int, weight: Double) {
        self.item = item
        self.homeWindow = homeWindow
        let name = item.name
        func mentions(_ words: [String]) -> Bool { words.contains { name.contains($0) } }
        let businessDepartments = ["市场监管", "税务", "发改", "生态环境", "应急管理"]
        if item.level == .village {
            enterpriseShare = 0.02
        } else if mentions(["企业", "公司", "个体工商户", "经营", "纳税人", "发票", "吸纳", "施工", "项目", "招标"]) {
            enterpriseShare = 0.9
        } else if businessDepartments.contains(item.department) || mentions(["许可"]) {
            enterpriseShare = 0.7
        } else {
            enterpriseShare = 0.05
        }
        issuesCertificate = mentions(["许可", "证", "执照", "登记", "资格", "备案"])
        isPolicy = mentions(["补贴", "补助", "奖励", "扶持", "资助", "奖补"])
        isSmallBusiness = ["市场监管", "税务"].contains(item.department)
        isHighVolume = weight >= 100
        if item.level == .village {
            assistShare = 0.08
        } else if ["发改", "住建", "自然资源和规划", "生态环境", "应急管理"].contains(item.department) {
            assistShare = 0.10
        } else {
            assistShare = 0.02
        }
        var partners: [String] = []
        if item.crossProvince { partners += Phrases.crossProvincePartners }
        if item.metroCircle { partners += Phrases.metroCirclePartners }
        self.partners = partners
        switch name {
        case "社会保障卡密码重置": reported = .passwordReset
        case "武汉通公交卡办理": reported = .wuhanTong
        case "行业综合许可证核发": reported = .industryLicence
        default: reported = .none
        }
    }

    var isImmediate: Bool { item.promisedDays == 0 }
}

/// The hall's windows by purpose, as indices into the seeds' window list.
struct HallLayout {
    let windows: [ServiceWindow]
    let fallback: Int
    let assisted: Int?
    let smallBusiness: Int?
    let policy: Int?
    let crossRegion: Int?
    let selfService: Int?
    /// By department, the chief clerks granted it: their window's index and their id.
    let chiefs: [String: [(window: Int, clerk: String)]]
    /// The share of a granted department's counter cases a chief clerk accepts at their own window.
    static let chiefClerkShare = 0.2

    init(_ seeds: DistrictSeeds) {
        windows = seeds.windows
        func index(_ role: ServiceWindow.Role) -> Int? { seeds.windows.firstIndex { $0.role == role } }
        fallback = seeds.windows.firstIndex(where: \.fallback) ?? 0
        assisted = index(.assisted)
        smallBusiness = index(.smallBusiness)
        policy = index(.policy)
        crossRegion = index(.crossRegion)
        selfService = index(.selfService)
        var chiefs: [String: [(window: Int, clerk: String)]] = [:]
        for chief in seeds.chiefClerks.chiefs {
            guard let window = seeds.windows.firstIndex(where: { $0.clerks.contains(chief.clerk) }) else { continue }
            for department in chief.departments { chiefs[department, default: []].append((window, chief.clerk)) }
        }
        self.chiefs = chiefs
    }

    /// Now and then, a counter case of a granted department goes to a 首席服务员 instead of the
    /// department's own window: their window and id, or nil.
    func chiefClerk(for department: String, rng: inout RandomSource) -> (window: Int, clerk: String)? {
        guard let granted = chiefs[department], !granted.isEmpty, rng.chance(Self.chiefClerkShare) else { return nil }
        return granted[rng.below(granted.count)]
    }

    func homeWindow(of department: String) -> Int {
        windows.firstIndex { $0.departments.contains(department) } ?? fallback
    }

    /// Where a case is accepted: cross-region cases at the 跨域通办专窗, assisted ones at the
    /// 帮办代办专窗, self-service 即办件 at the 24-hour area, enterprise subsidies at 惠企政策直达,
    /// some enterprises at the 小微企业服务专窗, some high-volume counter cases at the 综合窗口,
    /// the rest at the department's window.
    func acceptingWindow(for profile: ItemProfile, channel: Channel, applicant: ApplicantKind,
                         crossRegion: Bool, assisted isAssisted: Bool, rng: inout RandomSource) -> Int {
        if crossRegion, let crossRegion = self.crossRegion { return crossRegion }
        if isAssisted, let assisted { return assisted }
        if channel == .selfService, profile.isImmediate, let selfService { return selfService }
        if profile.isPolicy, applicant == .enterprise, let policy { return policy }
        if profile.isSmallBusiness, applicant == .enterprise, channel == .window, let smallBusiness, rng.chance(0.25) {
            return smallBusiness
        }
        if profile.isHighVolume, channel == .window, rng.chance(0.3) { return fallback }
        return profile.homeWindow
    }

    /// A window to transfer a case to from `current`: the item's home window, else the 综合窗口,
    /// else the next window in hall order.
    func transferTarget(from current: Int, home: Int) -> Int {
        if current != home { return home }
        if current != fallback { return fallback }
        return (current + 1) % windows.count
    }
}
