import Foundation

/// The hall's scoring and follow-up rules, from `seeds/rules.json`.
public struct HallRules: Sendable, Hashable, Decodable {
    public struct GoldWindow: Sendable, Hashable, Decodable {
        /// Weight of each component of the composite score (they add up to 100).
        public var weights: [String: Double]
        /// Windows marked 金牌窗口 per quarter.
        public var goldCount: Int
        /// A bad review not rectified in time disqualifies the window for that quarter.
        public var disqualifyOnLateRectification: Bool
        /// The scheme's first quarter (e.g. "2023Q3"): no round is held for an earlier one. nil: every quarter.
        public var firstQuarter: String? = nil

        /// The first quarter with a round, parsed (nil: every quarter has one).
        public var firstRound: Quarter? { firstQuarter.flatMap(Quarter.init) }
    }

    /// The 差评 loop's limits in working days (the case domain's, read from the same file).
    public typealias BadReview = BadReviewLimits

    public var goldWindow: GoldWindow
    public var badReview: BadReview
    /// Points per review level, e.g. "1": 10 … "5": 0.
    public var reviewScore: [String: Double]

    /// The default rules of Docs/DOMAIN.md §Metrics.
    public static let standard = HallRules(
        goldWindow: GoldWindow(weights: ["onTimeRate": 25, "goodReviewRate": 25, "volume": 15, "rectificationRate": 10,
                                         "atMostOneVisitShare": 10, "waivedOrOnlineShare": 10, "immediateShare": 5],
                               goldCount: 3, disqualifyOnLateRectification: true, firstQuarter: "2023Q3"),
        badReview: .standard,
        reviewScore: ["1": 10, "2": 8, "3": 6, "4": 3, "5": 0])

    /// Reads `rules.json`.
    /// - Throws: a one-line error naming the file and what is wrong.
    public static func load(from url: URL) throws -> HallRules {
        do {
            let rules = try JSONDecoder().decode(HallRules.self, from: Data(contentsOf: url))
            if let first = rules.goldWindow.firstQuarter, Quarter(first) == nil {
                throw RulesFileError(path: url.path, reason: "goldWindow.firstQuarter \"\(first)\" is not a quarter like 2023Q3")
            }
            return rules
        } catch let error as RulesFileError {
            throw error
        } catch let error as Swift.DecodingError {
            throw RulesFileError(path: url.path, reason: "\(error)".prefix(200).description)
        } catch {
            throw RulesFileError(path: url.path, reason: "cannot be read")
        }
    }
}

public struct RulesFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "rules file \(path): \(reason)" }
}
