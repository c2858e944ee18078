import CaseDomain
import Foundation
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// One component of a window's composite score: `points = scaledWeight × value`, value in 0…1.
/// A component without data that quarter (好评率 with no review, 整改率 with no bad review) is
/// left out: it scores no points, and the weights of the others are scaled up to make up for it.
public struct GoldWindowComponent: Sendable, Hashable, Codable {
    /// `onTimeRate`, `goodReviewRate`, `volume`, `rectificationRate`, `atMostOneVisitShare`,
    /// `waivedOrOnlineShare`, `immediateShare`.
    public var name: String
    /// 0 when the component is left out (`counted` false).
    public var value: Double
    /// The rules' weight.
    public var weight: Double
    /// Whether the window had data for it that quarter (denominator > 0).
    public var counted: Bool
    /// The weight it scores with: `weight × Σ weights / Σ weights of the counted components`; 0 when left out.
    public var scaledWeight: Double
    public var points: Double
    /// value = numerator / denominator.
    public var numerator: Int
    public var denominator: Int
}

/// A window's standing in one quarter.
public struct GoldWindowEntry: Sendable, Hashable, Codable {
    public var window: String
    /// The window's name, when the caller knows it (the view keeps ids only).
    @Nullable public var name: String?
    /// Σ points, 0…100 with the default weights.
    public var score: Double
    /// 1 = best; nil for a disqualified window.
    @Nullable public var rank: Int?
    public var gold: Bool
    public var breakdown: [GoldWindowComponent]
    public var completed: Int
    /// Why the window is out of the ranking (nil when it is ranked).
    @Nullable public var disqualification: String?
}

/// One quarter's round (评比): the ranked windows (best first, the top `goldCount` gold) and the
/// disqualified ones.
public struct GoldWindowQuarter: Sendable, Hashable, Codable {
    public var quarter: String
    /// Completions of the busiest window (the volume component's denominator).
    public var busiestCompleted: Int
    public var windows: [GoldWindowEntry]
    public var disqualified: [GoldWindowEntry]
    /// The gold windows' ids, in rank order.
    public var gold: [String]
}

/// 金牌窗口: each quarter's ranking with every score's breakdown.
public struct GoldWindowReport: Sendable, Hashable, Codable {
    public var formula: String
    public var period: String
    public var checkpoint: UInt64
    /// The date of the view's latest event: unrectified bad reviews are judged as of it.
    @Nullable public var asOf: String?
    public var weights: [String: Double]
    public var goldCount: Int
    public var quarters: [GoldWindowQuarter]

    /// The components in the order they are listed.
    public static let components = ["onTimeRate", "goodReviewRate", "volume", "rectificationRate",
                                    "atMostOneVisitShare", "waivedOrOnlineShare", "immediateShare"]

    static func formula(_ rules: HallRules) -> String {
        let weights = components.map { "\($0) \(String(format: "%g", rules.goldWindow.weights[$0] ?? 0))" }
        return """
            rounds: one per quarter\(rules.goldWindow.firstRound.map { " from \($0), the scheme's first quarter" } ?? "")
            score = Σ scaledWeight × component, components in 0…1 (weights: \(weights.joined(separator: ", ")))
            a component without data (goodReviewRate with no review, rectificationRate with no bad review) is left out and the others' weights are scaled by Σ weights / Σ counted weights
            onTimeRate = on-time decisions / decisions (withdrawals after 受理 left out); volume = completions / the busiest window's completions that quarter
            goodReviewRate = reviews of levels 1–3 / reviews; rectificationRate = bad reviews rectified in time / bad reviews (reviews excluded on appeal count in neither)
            atMostOneVisitShare, waivedOrOnlineShare (materials waived or fully online), immediateShare (promisedDays 0) = cases / completions
            completions count in the quarter of the decision at the window deciding; reviews and bad reviews in the quarter of the review at the window then
            disqualified\(rules.goldWindow.disqualifyOnLateRectification ? "" : " (off in these rules)"): a bad review of that quarter rectified late, or unrectified and past the limit as of the latest event
            ranked by score (ties by window id); the top \(rules.goldWindow.goldCount) are 金牌窗口; windows without completions are not ranked
            """
    }
}

extension GoldWindowProjection {
    /// Each quarter's 金牌窗口 round within `period`.
    public func report(_ reader: ViewReader, period: ReportPeriod = .all) throws -> GoldWindowReport {
        let txn = reader.transaction
        let width = GoldWindowCounter.width
        var quarters: [Quarter: [(window: String, counters: [Int64])]] = [:]
        let rows = try CounterTable.scan(prefix: CounterDimension.window.rawValue, from: reader.databases("counters"),
                                         width: width, in: txn)
        for (key, counters) in rows {
            guard let parsed = CounterKey(parsing: key), period.contains(parsed.quarter),
                  rules.goldWindow.firstRound.map({ parsed.quarter >= $0 }) ?? true else { continue }
            quarters[parsed.quarter, default: []].append((parsed.value, counters))
        }
        let asOf = try StatisticsFold.lastEventDay(reader.databases("meta"), in: txn)
        var overdueOpen: [Quarter: [String: Int]] = [:]
        for row in try OpenBadReviewRow.all(from: reader.databases("openBadReviews"), in: txn)
        where row.isOverdue(asOf: asOf) && period.contains(row.keys.quarter) {
            overdueOpen[row.keys.quarter, default: [:]][row.keys.window, default: 0] += 1
        }
        return GoldWindowReport(
            formula: GoldWindowReport.formula(rules), period: period.description, checkpoint: reader.checkpoint,
            asOf: asOf?.description, weights: rules.goldWindow.weights, goldCount: rules.goldWindow.goldCount,
            quarters: quarters.keys.sorted().map { quarter in
                rankQuarter(quarter, quarters[quarter]!, overdueOpen: overdueOpen[quarter] ?? [:], asOf: asOf)
            })
    }

    private func rankQuarter(_ quarter: Quarter, _ rows: [(window: String, counters: [Int64])], overdueOpen: [String: Int],
                       asOf: CivilDate?) -> GoldWindowQuarter {
        func v(_ c: [Int64], _ counter: GoldWindowCounter) -> Int64 { c[counter.rawValue] }
        let candidates = rows.filter { v($0.counters, .completed) > 0 }
        let busiest = candidates.map { v($0.counters, .completed) }.max() ?? 0
        var ranked: [(entry: GoldWindowEntry, key: Int64)] = []
        var disqualified: [GoldWindowEntry] = []
        for (window, c) in candidates {
            let completed = v(c, .completed)
            let reviews = v(c, .reviews), bad = v(c, .badReviews)
            let counts: [String: (Int64, Int64)] = [
                "onTimeRate": (v(c, .onTime), v(c, .decided)),
                "goodReviewRate": (v(c, .goodReviews), reviews),
                "volume": (completed, busiest),
                "rectificationRate": (v(c, .rectifiedInTime), bad),
                "atMostOneVisitShare": (v(c, .atMostOneVisit), completed),
                "waivedOrOnlineShare": (v(c, .waivedOrOnline), completed),
                "immediateShare": (v(c, .immediate), completed),
            ]
            let breakdown = GoldWindowReport.score(counts, weights: rules.goldWindow.weights)
            let score = breakdown.reduce(0) { $0 + $1.points }
            var entry = GoldWindowEntry(window: window, name: nil, score: score, rank: nil, gold: false, breakdown: breakdown,
                                        completed: Int(completed), disqualification: nil)
            var reasons: [String] = []
            if v(c, .rectifiedLate) > 0 { reasons.append("\(v(c, .rectifiedLate)) bad review(s) rectified late") }
            if let open = overdueOpen[window], open > 0 {
                reasons.append("\(open) bad review(s) not rectified by the deadline (as of \(asOf.map(\.description) ?? "—"))")
            }
            if rules.goldWindow.disqualifyOnLateRectification, !reasons.isEmpty {
                entry.disqualification = reasons.joined(separator: "; ")
                disqualified.append(entry)
            } else {
                // Compared at a millionth of a point, so equal scores reached by different sums tie.
                ranked.append((entry, Int64((score * 1_000_000).rounded())))
            }
        }
        ranked.sort { ($0.key, $1.entry.window) > ($1.key, $0.entry.window) }
        let windows = ranked.enumerated().map { i, element in
            var entry = element.entry
            entry.rank = i + 1
            entry.gold = i < rules.goldWindow.goldCount
            return entry
        }
        return GoldWindowQuarter(quarter: quarter.description, busiestCompleted: Int(busiest), windows: windows,
                                 disqualified: disqualified.sorted { $0.window < $1.window },
                                 gold: windows.filter(\.gold).map(\.window))
    }
}

extension GoldWindowReport {
    /// The breakdown of one window's score from each component's numerator and denominator: a
    /// component with denominator 0 has no data and is left out, the others' weights scaled up
    /// so the weights still add up to the same total.
    /// - Parameter counts: each component's (numerator, denominator).
    public static func score(_ counts: [String: (Int64, Int64)], weights: [String: Double]) -> [GoldWindowComponent] {
        let counted = components.filter { (counts[$0]?.1 ?? 0) > 0 }
        let all = components.reduce(0) { $0 + (weights[$1] ?? 0) }
        let present = counted.reduce(0) { $0 + (weights[$1] ?? 0) }
        let scale = present > 0 ? all / present : 0
        return components.map { name in
            let (numerator, denominator) = counts[name] ?? (0, 0)
            let weight = weights[name] ?? 0
            let isCounted = denominator > 0
            let value = isCounted ? Double(numerator) / Double(denominator) : 0
            let scaled = isCounted ? weight * scale : 0
            return GoldWindowComponent(name: name, value: value, weight: weight, counted: isCounted, scaledWeight: scaled,
                                       points: scaled * value, numerator: Int(numerator), denominator: Int(denominator))
        }
    }
}
