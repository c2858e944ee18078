import CaseDomain
import Foundation

/// How demand spreads over items, channels, hours and weekdays (`seeds/demand.json`).
public struct DemandProfile: Sendable, Hashable {
    /// Weight of an item the file does not list.
    public var defaultWeight: Double
    /// Relative demand per item code (looked up, never iterated).
    public var weights: [String: Double]
    /// Share of submissions per channel (looked up in `Channel.allCases` order).
    public var channels: [Channel: Double]
    /// Relative hall arrivals per hour of day, 24 entries (0 = midnight).
    public var hourProfile: [Double]
    /// Relative arrivals per ISO weekday, 7 entries (Monday first).
    public var weekdayProfile: [Double]

    public init(defaultWeight: Double, weights: [String: Double], channels: [Channel: Double],
                hourProfile: [Double], weekdayProfile: [Double]) {
        self.defaultWeight = defaultWeight
        self.weights = weights
        self.channels = channels
        self.hourProfile = hourProfile
        self.weekdayProfile = weekdayProfile
    }

    /// The relative demand for `item`.
    public func weight(of item: CatalogItem) -> Double { weights[item.code] ?? defaultWeight }

    private struct File: Decodable {
        var defaultWeight: Double
        var weights: [String: Double]
        var channels: [String: Double]
        var hourProfile: [Double]
        var weekdayProfile: [Double]
    }

    /// Reads `demand.json`.
    /// - Throws: `SeedError` when it cannot be decoded, names an unknown channel, has profiles of
    ///   the wrong length, or negative weights.
    public static func load(from url: URL) throws(SeedError) -> DemandProfile {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)) } catch {
            throw SeedError(path: url.path, reason: "cannot decode the demand profile (\(error))")
        }
        var channels: [Channel: Double] = [:]
        for name in file.channels.keys.sorted() {
            guard let channel = Channel(rawValue: name) else {
                throw SeedError(path: url.path, reason: "unknown channel \"\(name)\" (expected one of \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            channels[channel] = file.channels[name]
        }
        guard file.hourProfile.count == 24 else { throw SeedError(path: url.path, reason: "hourProfile needs 24 entries, has \(file.hourProfile.count)") }
        guard file.weekdayProfile.count == 7 else { throw SeedError(path: url.path, reason: "weekdayProfile needs 7 entries, has \(file.weekdayProfile.count)") }
        let all = [file.defaultWeight] + file.hourProfile + file.weekdayProfile + Array(file.channels.values) + Array(file.weights.values)
        guard all.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw SeedError(path: url.path, reason: "weights must be finite and not negative") }
        return DemandProfile(defaultWeight: file.defaultWeight, weights: file.weights, channels: channels,
                             hourProfile: file.hourProfile, weekdayProfile: file.weekdayProfile)
    }
}
