import CaseDomain

/// Which cases arrive: how many each day, which item (exact per-item totals, in random order),
/// and the report's exact figures handed out by selection sampling, so they hold exactly
/// whatever the seed. A year has two plans: arrivals up to October carry the report's figures
/// (so every such case is decided within the year), later arrivals none.
struct ArrivalPlan {
    /// Remaining arrivals per item, as a Fenwick tree for O(log n) weighted draws.
    private var tree: [Int]
    private var remainingPerItem: [Int]
    private(set) var remainingCases: Int
    /// Cases of a reported item still to be given the reported outcome.
    private var quota: [Int]
    /// Cases still to reuse one e-certificate, and two.
    private var eCertificateSingles: Int
    private var eCertificatePairs: Int
    /// Which items' approvals may enter the certificate library (certificate items the report
    /// gives no figure of), how many of their arrivals are left, and how many still must.
    private let libraryItems: [Bool]
    private var libraryCandidates: Int
    private var libraryQuota: Int

    /// The report's figures for the default year (DistrictSimulator.defaultCases cases).
    static let reportedPasswordResets = 29
    static let reportedWuhanTongCards = 494
    static let reportedIndustryLicences = 240
    /// 电子证照入库: electronic certificates entered into the certificate library.
    static let reportedCertificatesInLibrary = 1_180
    /// Materials spared by reusing an e-certificate, per case (synthetic; the report gives no figure).
    static let eCertificateReusesPerCase = 0.03

    /// A plan of `cases` arrivals; `reportedScale` scales the report's figures (cases of the whole
    /// year ÷ the default year's), nil for a plan that hands none out.
    init(profiles: [ItemProfile], weights: [Double], cases: Int, reportedScale: Double?) {
        let counts = ArrivalPlan.apportion(cases, weights: weights)
        remainingPerItem = counts
        remainingCases = cases
        tree = [Int](repeating: 0, count: counts.count + 1)
        for (i, n) in counts.enumerated() { ArrivalPlan.add(n, at: i, to: &tree) }
        func scaled(_ figure: Int) -> Int { Int((Double(figure) * (reportedScale ?? 0)).rounded()) }
        quota = profiles.enumerated().map { i, profile in
            switch profile.reported {
            case .none: 0
            case .passwordReset: min(counts[i], scaled(Self.reportedPasswordResets))
            case .wuhanTong: min(counts[i], scaled(Self.reportedWuhanTongCards))
            case .industryLicence: min(counts[i], scaled(Self.reportedIndustryLicences))
            }
        }
        libraryItems = profiles.map { $0.issuesCertificate && $0.reported == .none }
        libraryCandidates = zip(counts, libraryItems).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        libraryQuota = min(libraryCandidates, scaled(Self.reportedCertificatesInLibrary))
        // Σ counts = 1 × singles + 2 × pairs; about one case in six reuses two.
        let reductions = Int((Double(cases) * Self.eCertificateReusesPerCase).rounded())
        eCertificatePairs = reductions / 6
        eCertificateSingles = reductions - 2 * eCertificatePairs
    }

    /// Splits `total` in proportion to `weights` by largest remainders (ties to the lower index).
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0) { $0 + max(0, $1) }
        guard sum > 0, total > 0 else { return [Int](repeating: 0, count: weights.count) }
        var counts: [Int] = []
        var remainders: [(fraction: Double, index: Int)] = []
        for (i, w) in weights.enumerated() {
            let exact = Double(total) * max(0, w) / sum
            let whole = Int(exact.rounded(.down))
            counts.append(whole)
            remainders.append((exact - Double(whole), i))
        }
        let short = total - counts.reduce(0, +)
        remainders.sort { $0.fraction != $1.fraction ? $0.fraction > $1.fraction : $0.index < $1.index }
        for k in 0 ..< short { counts[remainders[k % remainders.count].index] += 1 }
        return counts
    }

    /// Draws the next arriving case's item, in proportion to what each item has left.
    mutating func drawItem(_ rng: inout RandomSource) -> Int {
        precondition(remainingCases > 0, "no arrivals left to draw")
        var target = rng.below(remainingCases)
        // Fenwick descent: the smallest index whose prefix sum exceeds target.
        var position = 0
        var step = 1
        while step * 2 < tree.count { step *= 2 }
        while step > 0 {
            let next = position + step
            if next < tree.count, tree[next] <= target {
                position = next
                target -= tree[next]
            }
            step /= 2
        }
        ArrivalPlan.add(-1, at: position, to: &tree)
        remainingPerItem[position] -= 1
        remainingCases -= 1
        return position
    }

    /// Whether the case of `item` just drawn gets the reported outcome. Call right after
    /// `drawItem`: chance quota ÷ (cases of the item left, this one included), so exactly the
    /// quota is handed out over the item's cases.
    mutating func takesQuota(_ item: Int, _ rng: inout RandomSource) -> Bool {
        guard quota[item] > 0 else { return false }
        let candidates = remainingPerItem[item] + 1
        guard rng.below(candidates) < quota[item] else { return false }
        quota[item] -= 1
        return true
    }

    /// Whether the case of `item` just drawn is approved with an electronic certificate entered
    /// into the certificate library. Call right after `drawItem`, for every arrival: selection
    /// sampling over the library items' arrivals, so exactly the quota is handed out.
    mutating func entersLibrary(_ item: Int, _ rng: inout RandomSource) -> Bool {
        guard libraryItems[item] else { return false }
        let candidates = libraryCandidates
        libraryCandidates -= 1
        guard libraryQuota > 0, rng.below(candidates) < libraryQuota else { return false }
        libraryQuota -= 1
        return true
    }

    /// How many e-certificates the case just drawn reuses (0, 1 or 2), sampled without
    /// replacement over all cases so the year's total is exact.
    mutating func eCertificates(_ rng: inout RandomSource) -> Int {
        let candidates = remainingCases + 1
        let u = rng.below(candidates)
        if u < eCertificatePairs {
            eCertificatePairs -= 1
            return 2
        }
        if u < eCertificatePairs + eCertificateSingles {
            eCertificateSingles -= 1
            return 1
        }
        return 0
    }

    private static func add(_ delta: Int, at index: Int, to tree: inout [Int]) {
        var i = index + 1
        while i < tree.count {
            tree[i] += delta
            i += i & -i
        }
    }
}
