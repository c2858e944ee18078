import Ledger

/// Counts of what a simulation emitted. Every figure counts events actually emitted (a timeline
/// stopped at the calendar's end counts only what came before the stop).
public struct SimulationSummary: Sendable, Hashable, CustomStringConvertible {
    /// Cases submitted (all in the simulated year).
    public var cases = 0
    public var events = 0
    public var firstEventAt: Timestamp?
    public var lastEventAt: Timestamp?

    /// Submissions at a hall counter, and online (pc, mobile); the rest came by courier or at the
    /// self-service area.
    public var submittedAtWindow = 0
    public var submittedOnline = 0
    public var accepted = 0
    /// Accepted by a 首席服务员 under a grant of the item's department.
    public var acceptedUnderGrant = 0
    /// 不予受理 at intake, or after a supplement never came.
    public var rejected = 0
    /// 补正 requests before acceptance.
    public var supplementsRequested = 0
    public var approved = 0
    public var denied = 0
    public var withdrawn = 0
    public var delivered = 0
    /// Decided after the deadline (after suspensions and extension), by the rule of Docs/DOMAIN.md §Time limits.
    public var overdue = 0
    /// 即办件 decided on the day of acceptance.
    public var immediateSameDay = 0
    public var suspensions = 0
    public var extensions = 0
    public var transfers = 0
    /// 帮办代办 cases.
    public var assisted = 0

    /// Cases submitted with a cross-region (跨域通办) partner.
    public var crossRegionCases = 0
    /// 社会保障卡密码重置 approved cross-region (the report: 29 in 2023).
    public var crossRegionPasswordResets = 0
    /// 武汉通公交卡办理 approved cross-region (the report: 494 cards).
    public var wuhanTongCards = 0
    /// 行业综合许可证核发 approved with a certificate (the report: 240 licences).
    public var industryLicences = 0

    /// Materials spared by reusing electronic certificates (Σ count).
    public var eCertificateReductions = 0
    /// Materials spared by data sharing (Σ count).
    public var dataSharingReductions = 0
    /// Materials waived (Σ count).
    public var waivedMaterials = 0
    /// Approvals carrying a certificate, and how many of them electronic.
    public var certificates = 0
    public var electronicCertificates = 0
    /// Electronic certificates entered into the certificate library (电子证照入库; the report: 1,180 in 2023).
    public var certificatesInLibrary = 0

    /// Cases by hall visits: none, exactly one, two or more.
    public var zeroVisitCases = 0
    public var oneVisitCases = 0
    public var multiVisitCases = 0

    public var evaluations = 0
    /// Reviews at level 4 or 5 (差评).
    public var badReviews = 0
    /// Bad reviews called back within the call-back deadline.
    public var badReviewsFollowedUpInTime = 0
    public var badReviewsRectifiedInTime = 0
    public var badReviewsRectifiedLate = 0
    /// Bad reviews the bureau appealed (申诉复核), and those the appeal excluded.
    public var badReviewsAppealed = 0
    public var badReviewsExcluded = 0
    /// Bad reviews whose reviewer was told the outcome (反馈).
    public var badReviewsFedBack = 0

    /// Cases whose timeline ran past the last loaded calendar day and was stopped there.
    public var stoppedAtCalendarEnd = 0

    public init() {}

    /// Cases with at most one visit (最多跑一次).
    public var atMostOneVisitCases: Int { zeroVisitCases + oneVisitCases }

    /// One `name: value` line per figure, in a fixed order.
    public var description: String {
        let rows: [(String, Int)] = [
            ("cases", cases), ("events", events), ("submitted at a window", submittedAtWindow),
            ("submitted online", submittedOnline), ("accepted", accepted), ("rejected", rejected),
            ("supplements requested", supplementsRequested), ("approved", approved), ("denied", denied),
            ("withdrawn", withdrawn), ("delivered", delivered), ("overdue", overdue),
            ("immediate, decided the same day", immediateSameDay), ("suspensions", suspensions),
            ("extensions", extensions), ("transfers", transfers), ("assisted", assisted),
            ("cross-region cases", crossRegionCases), ("cross-region password resets", crossRegionPasswordResets),
            ("Wuhan-Tong cards (cross-region)", wuhanTongCards), ("industry licences", industryLicences),
            ("e-certificate reductions", eCertificateReductions), ("data-sharing reductions", dataSharingReductions),
            ("materials waived", waivedMaterials), ("certificates", certificates),
            ("electronic certificates", electronicCertificates), ("certificates entered into the library", certificatesInLibrary),
            ("cases with 0 visits", zeroVisitCases),
            ("cases with 1 visit", oneVisitCases), ("cases with 2+ visits", multiVisitCases),
            ("evaluations", evaluations), ("bad reviews", badReviews),
            ("bad reviews followed up in time", badReviewsFollowedUpInTime),
            ("bad reviews rectified in time", badReviewsRectifiedInTime),
            ("bad reviews rectified late", badReviewsRectifiedLate),
            ("bad reviews appealed", badReviewsAppealed), ("bad reviews excluded on appeal", badReviewsExcluded),
            ("bad reviews fed back", badReviewsFedBack),
            ("stopped at the calendar's end", stoppedAtCalendarEnd),
        ]
        var text = rows.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        if let first = firstEventAt, let last = lastEventAt { text += "\nspan: \(first.chinaTime) … \(last.chinaTime)" }
        return text
    }
}
