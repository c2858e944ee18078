import CaseDomain
import Foundation
import Ledger

/// The 首席服务员 of `seeds/grants.json`: the chief clerks and the departments each is granted
/// beyond their window's, and who grants them. The demo records the grants on the log's ADMIN
/// stream when the year starts, and the simulator has these clerks accept some of the granted
/// departments' counter cases at their own window (一人受理、全程服务).
public struct ChiefClerks: Sendable, Hashable, Decodable {
    public struct Chief: Sendable, Hashable, Decodable {
        public var clerk: String
        public var departments: [String]

        public init(clerk: String, departments: [String]) {
            self.clerk = clerk
            self.departments = departments
        }
    }

    /// Who records the grants (the event's actor), e.g. `hall-manager`.
    public var grantedBy: String
    public var chiefs: [Chief]

    public init(grantedBy: String = "hall-manager", chiefs: [Chief] = []) {
        self.grantedBy = grantedBy
        self.chiefs = chiefs
    }

    /// Reads `grants.json`; a hall without the file has no chief clerks.
    /// - Throws: `SeedError` when the file is there but does not decode, or names a clerk twice.
    public static func load(from url: URL) throws(SeedError) -> ChiefClerks {
        guard FileManager.default.fileExists(atPath: url.path) else { return ChiefClerks() }
        let chiefs: ChiefClerks
        do { chiefs = try JSONDecoder().decode(ChiefClerks.self, from: Data(contentsOf: url)) } catch {
            throw SeedError(path: url.path, reason: "cannot decode the chief clerks (\(error))")
        }
        var seen: Set<String> = []  // membership only
        for chief in chiefs.chiefs where !seen.insert(chief.clerk).inserted {
            throw SeedError(path: url.path, reason: "clerk \(chief.clerk) is listed twice")
        }
        return chiefs
    }

    /// The grant events, one per chief clerk and department, in the file's order.
    public var grants: [EventData] {
        chiefs.flatMap { chief in chief.departments.map { .departmentGranted(DepartmentGrant(clerk: chief.clerk, department: $0)) } }
    }

    /// Records the grants at `at` on the ledger's ADMIN stream in one append, with ids derived
    /// from their content (the demo's log stays byte-identical for a seed). Returns how many.
    public func record(into ledger: CaseLedger, at: Timestamp) async throws -> Int {
        guard !grants.isEmpty else { return 0 }
        let drafts = grants.map { data in
            var identity = ByteWriter(capacity: 96)
            identity.i64(at.milliseconds)
            identity.string(grantedBy)
            identity.raw(data.encoded())
            return CaseEventDraft(id: NewEvent.contentID(line: identity.bytes), request: EventRequest(data), at: at)
        }
        return try await ledger.record(drafts, to: .administration, actor: grantedBy).positions.count
    }
}
