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
    }

    public struct BadReview: Sendable, Hashable, Decodable {
        /// Working days after a bad review to call the reviewer back (回访).
        public var callBackWorkingDays: Int
        /// Working days after a bad review to rectify (整改).
        public var rectifyWorkingDays: Int
    }

    public var goldWindow: GoldWindow
    public var badReview: BadReview
    /// Points per review level, e.g. "1": 10 … "5": 0.
    public var reviewScore: [String: Double]

    /// The default rules of Docs/DOMAIN.md §Metrics.
    public static let standard = HallRules(
        goldWindow: GoldWindow(weights: ["onTimeRate": 25, "goodReviewRate": 25, "volume": 15, "rectificationRate": 10,
                                         "atMostOneVisitShare": 10, "waivedOrOnlineShare": 10, "immediateShare": 5],
                               goldCount: 3, disqualifyOnLateRectification: true),
        badReview: BadReview(callBackWorkingDays: 1, rectifyWorkingDays: 15),
        reviewScore: ["1": 10, "2": 8, "3": 6, "4": 3, "5": 0])

    /// Reads `rules.json`.
    /// - Throws: a one-line error naming the file and what is wrong.
    public static func load(from url: URL) throws -> HallRules {
        do {
            return try JSONDecoder().decode(HallRules.self, from: Data(contentsOf: url))
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
