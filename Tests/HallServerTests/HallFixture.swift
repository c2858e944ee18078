import CaseDomain
import CaseStateProjection
import ContactsVault
import DomainTestSupport
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import HTTPTypes
import HallViews
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics
import TestSupport
@testable import HallServer

/// A hall over a temporary store: three windows, a small catalog, the four views, and one token
/// per role (each token is `t-` + its holder's name).
final class HallFixture: @unchecked Sendable {
    let directory = TemporaryDirectory("hall-server")
    let store: EventStore
    let ledger: CaseLedger
    let runner: ProjectionRunner
    let hall: Hall
    /// The contacts vault, when asked for.
    let contacts: ContactsVault?

    static let market = "LZH-Q-0001"   // 市场监管, promised 5 working days
    static let social = "LZH-Q-0002"   // 人社, promised 3 working days

    static let principals: [Principal] = [
        Principal(name: "clerk-01", role: .clerk, windows: ["W01"]),
        Principal(name: "clerk-06", role: .clerk, windows: ["W02"]),
        Principal(name: "chief-01", role: .clerk, windows: ["W01"], departments: ["人社"]),
        Principal(name: "manager-1", role: .manager),
        Principal(name: "analyst-1", role: .analyst),
        Principal(name: "auditor-1", role: .auditor),
        Principal(name: "admin-1", role: .admin),
    ]

    /// The fixture's windows, as the ledger's roster when `hallRules` (Docs/HALLRULES.md).
    static let windows = [
        ServiceWindow(id: "W01", name: "综合窗口", departments: [], clerks: ["clerk-01"]),
        ServiceWindow(id: "W02", name: "市场监管窗口", departments: ["市场监管"], clerks: ["clerk-06"]),
        ServiceWindow(id: "W03", name: "人社社保窗口", departments: ["人社"], clerks: []),
    ]

    /// - Parameters:
    ///   - withContacts: give the hall a contacts vault (STORE/contacts).
    ///   - tokensFile: the hall follows this file instead of the fixed tokens.
    ///   - hallRules: open the ledger with the fixture's windows as its roster, as `ledger serve` does.
    init(limits: HallLimits = HallLimits(), durable: Bool = false, withContacts: Bool = false,
         tokensFile: TokenFile? = nil, hallRules: Bool = false) async throws {
        let calendar = try ViewLedger.calendar.get()
        store = try EventStore(directory: directory.appending("events"), codec: CaseEventCodec(), options: .init(initialMapSize: 32 << 20, durable: durable))
        ledger = try CaseLedger(store: store, calendar: calendar, hall: hallRules ? HallRoster(windows: Self.windows) : nil)
        try await ledger.publishCatalog(items: [
            item(Self.market, legal: 20, promised: 5, level: .district, department: "市场监管"),
            item(Self.social, legal: 10, promised: 3, level: .district, department: "人社"),
        ], at: at("2023-01-01T00:00:00+08:00"), actor: "catalog-admin")
        var rules = try HallRules.load(from: ViewLedger.root.appendingPathComponent("seeds/rules.json"))
        // The fixture's cases are in 2023Q2, before the district's scheme begins (2023Q3): rank them anyway.
        rules.goldWindow.firstQuarter = "2023Q2"
        runner = try ProjectionRunner(store: store, directory: directory.appending("views"),
                                      projections: HallViews(calendar: calendar, rules: rules).all)
        let windows = Self.windows
        let records = Self.principals.map { p in
            TokenRecord(id: String(TokenFile.hash("t-" + p.name).prefix(12)), name: p.name, role: p.role, windows: p.windows.sorted(),
                        departments: p.departments.sorted(), sha256: TokenFile.hash("t-" + p.name), created: "2023-01-01T00:00:00Z", revoked: nil)
        }
        contacts = withContacts ? try ContactsVault(directory: directory.appending("contacts"), ledger: ledger) : nil
        hall = try Hall(ledger: ledger, runner: runner, rules: rules, windows: windows, tokens: TokenAuthority(records: records),
                        tokensFile: tokensFile, contacts: contacts, today: CivilDate(iso: "2023-06-30")!, limits: limits)
        try hall.catchUp()
    }

    /// The application with the router alone (no socket), as `app.test(.router)` runs it.
    func application() -> some ApplicationProtocol {
        Application(router: buildRouter(hall: hall))
    }

    /// Records a submitted case accepted at `window` (through the ledger, as a clerk of it).
    func openCase(_ number: String, item: String = HallFixture.market, window: String = "W01",
                  on day: String = "2023-06-26") async throws {
        let caseNumber = try CaseNumber(number)
        try await ledger.record(submitted(item, .window), to: caseNumber, at: at("\(day)T09:00:00+08:00"), actor: "clerk-01")
        try await ledger.record(EventRequest.accept(AcceptanceRequest(item: item, window: window)), to: caseNumber,
                                at: at("\(day)T09:30:00+08:00"), actor: "clerk-01")
        try hall.catchUp()
    }
}

/// Headers with the role's bearer token.
func bearer(_ name: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var fields = extra
    fields[.authorization] = "Bearer t-" + name
    return fields
}

func jsonHeaders(_ name: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var fields = bearer(name, extra)
    fields[.contentType] = "application/json"
    return fields
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }
    var errorCode: String? { object["error"] as? String }
}

/// An event body in the interchange format (no case, no actor).
func eventJSON(_ type: String, at time: String, data: String = "{}") -> String {
    "{\"type\":\"\(type)\",\"at\":\"\(time)\",\"data\":\(data)}"
}

let submitJSON = eventJSON("submitted", at: "2023-06-28T09:00:00+08:00",
                           data: "{\"item\":\"LZH-Q-0001\",\"channel\":\"window\",\"applicant\":{\"kind\":\"person\",\"ref\":\"P-9\"}}")

func acceptJSON(window: String, item: String = "LZH-Q-0001") -> String {
    eventJSON("accepted", at: "2023-06-28T09:10:00+08:00", data: "{\"item\":\"\(item)\",\"window\":\"\(window)\"}")
}
