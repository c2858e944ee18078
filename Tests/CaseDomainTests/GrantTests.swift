import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport

/// 首席服务员: a clerk accepts the departments their window hosts, and those granted to them on
/// the ADMIN stream while the grant is in force.
@Suite("首席服务员 grants")
struct GrantTests {
    static let grantedAt = "2023-03-01T08:00:00+08:00"

    /// Accepts S-1 (水务) at W02 (市场监管) by `clerk` at `time` on a fresh case.
    private func acceptWater(_ t: HallLedger, _ number: String, by clerk: String = "clerk-06", at time: String) async throws {
        let caseNumber = try await t.submit(number, "S-1", at: time)
        try await t.ledger.record(.accept(AcceptanceRequest(item: "S-1", window: "W02")), to: caseNumber, at: at(time), actor: clerk)
    }

    @Test("not granted: a clerk cannot accept a department their window does not host")
    func notGranted() async throws {
        let t = try await HallLedger()
        let number = try await t.submit("LZH-2023-000011", "S-1", at: "2023-03-01T09:00:00+08:00")
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.accept(AcceptanceRequest(item: "S-1", window: "W02")), to: number,
                                      at: at("2023-03-01T09:30:00+08:00"), actor: "clerk-06")
        }
        #expect(violation?.reason.hasPrefix("window W02 does not host 水务 (item S-1) and clerk-06 holds no grant of 水务 at 2023-03-01T09:30:00+08:00") == true,
                "\(String(describing: violation))")
        #expect(try t.store.digest() == head)
        // The department's own window and the 综合窗口 take it without a grant.
        try await t.ledger.record(.accept(AcceptanceRequest(item: "S-1", window: "W14")), to: number,
                                  at: at("2023-03-01T09:30:00+08:00"), actor: "clerk-47")
    }

    @Test("granted: the chief clerk accepts the granted department at their own window; a colleague still cannot")
    func granted() async throws {
        let t = try await HallLedger()
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at(Self.grantedAt), actor: "hall-manager")
        try await acceptWater(t, "LZH-2023-000012", at: "2023-03-01T09:30:00+08:00")
        await #expect(throws: RuleViolation.self) {
            try await acceptWater(t, "LZH-2023-000013", by: "clerk-07", at: "2023-03-01T09:40:00+08:00")
        }
        let book = try t.reopened().grants
        #expect(book.periods.count == 1)
        #expect(book.periods[0].grantedBy == "hall-manager" && book.periods[0].grantedAt == at(Self.grantedAt))
        #expect(book.isGranted(clerk: "clerk-06", department: "水务", at: at("2023-03-01T09:30:00+08:00")))
    }

    @Test("before the grant: an acceptance dated before it is refused, even when recorded after it")
    func beforeGrant() async throws {
        let t = try await HallLedger()
        let number = try await t.submit("LZH-2023-000014", "S-1", at: "2023-02-28T09:00:00+08:00")
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at(Self.grantedAt), actor: "hall-manager")
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.accept(AcceptanceRequest(item: "S-1", window: "W02")), to: number,
                                      at: at("2023-02-28T09:30:00+08:00"), actor: "clerk-06")
        }
        #expect(violation?.reason.contains("holds no grant of 水务 at 2023-02-28T09:30:00+08:00") == true)
    }

    @Test("revoked: after the revocation the clerk accepts only their window's departments again; history keeps both")
    func revoked() async throws {
        let t = try await HallLedger()
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at(Self.grantedAt), actor: "hall-manager")
        try await acceptWater(t, "LZH-2023-000015", at: "2023-03-01T09:30:00+08:00")
        try await t.ledger.recordGrant(HallFixtures.revoke("clerk-06", "水务"), at: at("2023-03-02T08:00:00+08:00"), actor: "director")
        await #expect(throws: RuleViolation.self) {
            try await acceptWater(t, "LZH-2023-000016", at: "2023-03-02T09:30:00+08:00")
        }
        let period = try #require(try t.reopened().grants.periods.first)
        #expect(period.revokedAt == at("2023-03-02T08:00:00+08:00") && period.revokedBy == "director")
        #expect(period.covers(at("2023-03-01T12:00:00+08:00")) && !period.covers(at("2023-03-02T08:00:00+08:00")))
        // Granted again later: a second period.
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at("2023-03-03T08:00:00+08:00"), actor: "director")
        try await acceptWater(t, "LZH-2023-000017", at: "2023-03-03T09:30:00+08:00")
        #expect(t.ledger.grants.periods.count == 2)
    }

    @Test("grants that make no sense are refused, and nothing is written", arguments: [
        (HallFixtures.grant("clerk-99", "水务"), "clerk-99 is no clerk of the hall's windows"),
        (HallFixtures.grant("clerk-06", "市场监管"), "clerk-06's window W02 already hosts 市场监管; no grant is needed"),
        (HallFixtures.grant("clerk-01", "水务"), "clerk-01's window W01 already hosts 水务"),
        (HallFixtures.grant("clerk-06", "自规"), "no item of the catalog in force at 2023-03-01T08:00:00+08:00 belongs to department 自规"),
        (HallFixtures.revoke("clerk-06", "水务"), "clerk-06 holds no grant of 水务 to revoke"),
    ])
    func refusedGrants(_ data: EventData, _ reason: String) async throws {
        let t = try await HallLedger()
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.recordGrant(data, at: at(Self.grantedAt), actor: "hall-manager")
        }
        #expect(violation?.reason.hasPrefix(reason) == true, "\(String(describing: violation))")
        #expect(try t.store.digest() == head)
    }

    @Test("a grant already in force is not granted twice; grants are on the ADMIN stream only")
    func duplicateAndWrongStream() async throws {
        let t = try await HallLedger()
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at(Self.grantedAt), actor: "hall-manager")
        let twice = await #expect(throws: RuleViolation.self) {
            try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at("2023-03-01T09:00:00+08:00"), actor: "hall-manager")
        }
        #expect(twice?.reason.hasPrefix("clerk-06 holds 水务 since 2023-03-01T08:00:00+08:00 (granted by hall-manager)") == true)
        let elsewhere = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(HallFixtures.grant("clerk-07", "水务"), to: caseNo("LZH-2023-000018"),
                                      at: at("2023-03-01T09:00:00+08:00"), actor: "hall-manager")
        }
        #expect(elsewhere?.reason == "grants belong to the ADMIN stream")
        let caseOnAdmin = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(HallFixtures.submitted("M-1"), to: .administration, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-06")
        }
        #expect(caseOnAdmin?.subject == "the administration stream")
    }

    @Test("the grants report counts the acceptances under a grant, by clerk and department")
    func grantsReport() async throws {
        let t = try await HallLedger()
        try await t.ledger.recordGrant(HallFixtures.grant("clerk-06", "水务"), at: at(Self.grantedAt), actor: "hall-manager")
        try await acceptWater(t, "LZH-2023-000021", at: "2023-03-01T09:30:00+08:00")
        try await acceptWater(t, "LZH-2023-000022", at: "2023-04-03T09:30:00+08:00")
        // Not under a grant: the department's own window, and the clerk's own department.
        let own = try await t.submit("LZH-2023-000023", "S-1", at: "2023-03-01T10:00:00+08:00")
        try await t.ledger.record(.accept(AcceptanceRequest(item: "S-1", window: "W14")), to: own, at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-47")
        let market = try await t.submit("LZH-2023-000024", "M-1", at: "2023-03-01T10:00:00+08:00")
        try await t.ledger.record(.accept(AcceptanceRequest(item: "M-1", window: "W02")), to: market, at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-06")

        let all = try GrantedAcceptances.read(store: t.store, hall: HallFixtures.roster)
        #expect(all.acceptances == 4 && all.underGrant == 2)
        #expect(all.rows == [GrantedAcceptances.Row(clerk: "clerk-06", window: "W02", department: "水务", accepted: 2,
                                                   grantedAt: "2023-03-01T08:00:00+08:00", grantedBy: "hall-manager")])
        let q1 = try GrantedAcceptances.read(store: t.store, hall: HallFixtures.roster, year: 2023, quarter: 1)
        #expect(q1.period == "2023Q1" && q1.underGrant == 1 && q1.acceptances == 3)
        #expect(try GrantedAcceptances.read(store: t.store, hall: HallFixtures.roster, year: 2024).rows.isEmpty)
    }
}
