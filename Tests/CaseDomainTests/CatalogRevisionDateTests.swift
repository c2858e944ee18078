import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport

/// A catalog item's versions are in force one after another: a revision may not come into force
/// before the version it replaces, whether imported or recorded (Docs/SERVER.md, the admin's catalog).
@Suite("Catalog revisions come into force after the version they replace")
struct CatalogRevisionDateTests {
    @Test("a revision dated before the item's current version is refused, through publishCatalog and record alike; nothing is written")
    func backdatedRevision() async throws {
        let t = try await HallLedger()
        var revised = HallFixtures.items[0]
        revised.promisedDays = 1
        try await t.ledger.publishCatalog(items: [revised], at: at("2023-06-01T00:00:00+08:00"), actor: "catalog-admin")
        let head = try t.store.digest()
        revised.promisedDays = 2
        let imported = await #expect(throws: RuleViolation.self) {
            try await t.ledger.publishCatalog(items: [revised], at: at("2023-05-01T00:00:00+08:00"), actor: "catalog-admin")
        }
        #expect(imported?.reason.contains("before the item's current version (in force from 2023-06-01T00:00:00+08:00)") == true)
        let recorded = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.itemRevised(revised), to: .catalog, at: at("2023-05-31T23:59:59+08:00"), actor: "admin-1")
        }
        #expect(recorded?.event == .itemRevised)
        #expect(try t.store.digest() == head)
        // On the day of the current version, or after it, the revision is taken.
        try await t.ledger.record(.itemRevised(revised), to: .catalog, at: at("2023-06-01T00:00:00+08:00"), actor: "admin-1")
        #expect(t.ledger.catalog[revised.code]?.promisedDays == 2)
    }
}
