import Foundation

/// A window (窗口) of the service hall, from `seeds/windows.json`.
public struct ServiceWindow: Sendable, Hashable, Decodable {
    /// What a special window is for; department windows have none.
    public enum Role: String, Sendable, Hashable, Decodable, CaseIterable {
        /// 综合窗口: takes any department's items (the fallback).
        case comprehensive
        /// 帮办代办专窗.
        case assisted
        /// 小微企业服务专窗.
        case smallBusiness
        /// 惠企政策直达窗口.
        case policy
        /// 跨域通办专窗 (跨省通办, 圈内通办).
        case crossRegion
        /// 24小时自助服务区.
        case selfService
    }

    /// `W01` …
    public var id: String
    public var name: String
    /// The departments whose items this window handles.
    public var departments: [String]
    /// Clerk ids, e.g. `clerk-07`.
    public var clerks: [String]
    /// The window for departments no other window names.
    public var fallback: Bool
    public var role: Role?

    public init(id: String, name: String, departments: [String], clerks: [String], fallback: Bool = false, role: Role? = nil) {
        self.id = id
        self.name = name
        self.departments = departments
        self.clerks = clerks
        self.fallback = fallback
        self.role = role
    }

    private enum CodingKeys: String, CodingKey { case id, name, departments, clerks, fallback, role }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        departments = try c.decodeIfPresent([String].self, forKey: .departments) ?? []
        clerks = try c.decode([String].self, forKey: .clerks)
        fallback = try c.decodeIfPresent(Bool.self, forKey: .fallback) ?? false
        role = try c.decodeIfPresent(Role.self, forKey: .role)
    }

    /// Reads `seeds/windows.json` (an array of windows, in hall order).
    /// - Throws: `SeedError` when the file cannot be read or decoded, a window has no clerks,
    ///   an id repeats, or there is not exactly one fallback window.
    public static func load(from url: URL) throws(SeedError) -> [ServiceWindow] {
        let windows: [ServiceWindow]
        do { windows = try JSONDecoder().decode([ServiceWindow].self, from: Data(contentsOf: url)) } catch {
            throw SeedError(path: url.path, reason: "cannot decode the windows (\(error))")
        }
        var ids: Set<String> = []  // membership only
        for window in windows {
            guard ids.insert(window.id).inserted else { throw SeedError(path: url.path, reason: "window \(window.id) is listed twice") }
            guard !window.clerks.isEmpty else { throw SeedError(path: url.path, reason: "window \(window.id) has no clerks") }
        }
        let fallbacks = windows.filter(\.fallback).count
        guard fallbacks == 1 else {
            throw SeedError(path: url.path, reason: "expected exactly one fallback window, found \(fallbacks)")
        }
        return windows
    }
}
