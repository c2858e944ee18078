import CaseDomain
import Foundation
import Ledger
import TestSupport

/// A small hall for the hall-rule tests: the 综合窗口 W01, the 市场监管 window W02 (clerk-06,
/// clerk-07) and the 水务 window W14 (clerk-47); items M-1 (市场监管) and S-1 (水务), in force from
/// 2023-01-03.
enum HallFixtures {
    static let windows = [
        ServiceWindow(id: "W01", name: "综合窗口", departments: [], clerks: ["clerk-01"], fallback: true, role: .comprehensive),
        ServiceWindow(id: "W02", name: "市场监管窗口", departments: ["市场监管"], clerks: ["clerk-06", "clerk-07"]),
        ServiceWindow(id: "W14", name: "水务窗口", departments: ["水务"], clerks: ["clerk-47"]),
    ]
    static let roster = HallRoster(windows: windows)

    static func item(_ code: String, department: String) -> CatalogItem {
        CatalogItem(code: code, name: "事项 \(code)", department: department, level: .district, legalDays: 20, promisedDays: 3,
                    caseType: .promised, onlineCapable: true, maxVisits: 1, crossProvince: false, metroCircle: false, themes: [])
    }

    static let items = [item("M-1", department: "市场监管"), item("S-1", department: "水务")]
    static let catalogFrom = at("2023-01-03T00:00:00+08:00")

    static func submitted(_ item: String, ref: String = "P-0001") -> EventData {
        .submitted(Submission(item: item, channel: .window, applicant: Applicant(kind: .person, ref: ref)))
    }

    static func grant(_ clerk: String, _ department: String) -> EventData {
        .departmentGranted(DepartmentGrant(clerk: clerk, department: department))
    }

    static func revoke(_ clerk: String, _ department: String) -> EventData {
        .departmentGrantRevoked(DepartmentGrant(clerk: clerk, department: department))
    }
}

/// A `CaseLedger` with the small hall and its catalog, over a fresh temporary store.
final class HallLedger: Sendable {
    let directory: TemporaryDirectory
    let store: EventStore
    let ledger: CaseLedger

    /// - Parameter empty: leave the catalog out (for a store that imports one).
    init(empty: Bool = false) async throws {
        directory = TemporaryDirectory("hall-ledger")
        store = try EventStore(directory: directory.path, codec: CaseEventCodec(), options: .init(initialMapSize: 32 << 20, durable: false))
        ledger = try CaseLedger(store: store, calendar: try CalendarFixtures.calendar(), hall: HallFixtures.roster)
        if !empty { try await ledger.publishCatalog(items: HallFixtures.items, at: HallFixtures.catalogFrom, actor: "catalog-admin") }
    }

    /// Opens the same store again (the grants and catalog are read back from the log).
    func reopened() throws -> CaseLedger {
        try CaseLedger(store: store, calendar: try CalendarFixtures.calendar(), hall: HallFixtures.roster)
    }

    /// Submits `item` as a new case at `time` and returns its number.
    @discardableResult
    func submit(_ number: String, _ item: String, at time: String) async throws -> CaseNumber {
        let caseNumber = caseNo(number)
        try await ledger.record(HallFixtures.submitted(item), to: caseNumber, at: at(time), actor: "clerk-06")
        return caseNumber
    }
}
