import CaseDomain
import Foundation
import Ledger
import TestSupport

/// Shared helpers of the domain suites: times, case numbers, catalogs and ledgers over
/// temporary stores.
enum DomainFixtures {
    /// `seeds/catalog.jsonl` of the repository (next to `seeds/calendars`).
    static let catalogFile: URL = CalendarFixtures.directory.deletingLastPathComponent()
        .appendingPathComponent("catalog.jsonl")

    /// The seed catalog's items (loaded once per test process).
    static func seedItems() throws -> [CatalogItem] { try loadedSeedItems.get() }
    private static let loadedSeedItems = Result { try CatalogItem.loadCatalog(from: catalogFile) }

    /// A small catalog item for rule tests.
    static func item(_ code: String, legal: Int, promised: Int, themes: [String] = []) -> CatalogItem {
        CatalogItem(code: code, name: "事项 \(code)", department: "民政", level: .district, legalDays: legal,
                    promisedDays: promised, caseType: promised == 0 ? .immediate : .promised, onlineCapable: true,
                    maxVisits: 1, crossProvince: false, metroCircle: false, themes: themes)
    }

    /// Items of the rule tests: T-3 (legal 20, promised 3), T-0 (即办件) and T-L (no legal limit).
    static let testItems = [item("T-3", legal: 20, promised: 3), item("T-0", legal: 5, promised: 0),
                            item("T-L", legal: 0, promised: 7)]

    static func testCatalog() -> Catalog {
        var catalog = Catalog()
        for item in testItems { catalog.apply(.itemPublished(item)) }
        return catalog
    }
}

/// A timestamp from an RFC 3339 literal in a test (traps on a typo).
func at(_ text: String) -> Timestamp {
    guard let ts = Timestamp(rfc3339: text) else { preconditionFailure("bad test timestamp \(text)") }
    return ts
}

/// A case number from a literal in a test (traps on a typo).
func caseNo(_ raw: String) -> CaseNumber {
    do { return try CaseNumber(raw) } catch { preconditionFailure("bad test case number \(raw): \(error)") }
}

/// An `accepted` the way a clerk records it: limits and deadline left for the rules to fill in.
func acceptance(_ item: String, window: String = "W01", legalDays: Int? = nil, promisedDays: Int? = nil,
                deadline: CivilDate? = nil) -> EventRequest {
    .accept(AcceptanceRequest(item: item, window: window, legalDays: legalDays, promisedDays: promisedDays, deadline: deadline))
}

/// A `CaseLedger` over an `EventStore` in a fresh temporary directory. Keep it alive while used.
final class TemporaryLedger: Sendable {
    let directory: TemporaryDirectory
    let store: EventStore
    let ledger: CaseLedger

    /// - Parameter seedCatalog: publish `seeds/catalog.jsonl` first (894 catalog events).
    init(seedCatalog: Bool = false, label: String = "domain-ledger") async throws {
        directory = TemporaryDirectory(label)
        store = try EventStore(directory: directory.path, codec: CaseEventCodec(), options: .init(initialMapSize: 32 << 20, durable: false))
        ledger = try CaseLedger(store: store, calendar: try CalendarFixtures.calendar())
        if seedCatalog {
            try await ledger.publishCatalog(items: try DomainFixtures.seedItems(), at: at("2023-01-01T09:00:00+08:00"),
                                            actor: "catalog-admin")
        }
    }
}

extension Data {
    /// JSON Lines from lines written as strings, each ending in a newline.
    init(jsonLines lines: [String]) {
        self.init(lines.map { $0 + "\n" }.joined().utf8)
    }
}
