import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport

/// The hall's refusals through the CaseLedger API: windows from the seed, items in force at the
/// event's time, no personal numbers in the log. Each refusal writes nothing.
@Suite("Hall rules: windows, the catalog in force, personal data")
struct HallRulesTests {
    @Test("an acceptance naming a window the hall does not have is refused, and nothing is written")
    func unknownWindowAccepted() async throws {
        let t = try await HallLedger()
        let number = try await t.submit("LZH-2023-000001", "M-1", at: "2023-03-01T09:00:00+08:00")
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.accept(AcceptanceRequest(item: "M-1", window: "W99")), to: number,
                                      at: at("2023-03-01T09:30:00+08:00"), actor: "clerk-06")
        }
        #expect(violation?.subject == "case LZH-2023-000001")
        #expect(violation?.reason.contains("window W99 is not one of the hall's windows") == true, "\(String(describing: violation))")
        #expect(try t.store.digest() == head)
    }

    @Test("a transfer to a window the hall does not have is refused")
    func unknownWindowTransferred() async throws {
        let t = try await HallLedger()
        let number = try await t.submit("LZH-2023-000002", "M-1", at: "2023-03-01T09:00:00+08:00")
        try await t.ledger.record(.accept(AcceptanceRequest(item: "M-1", window: "W02")), to: number,
                                  at: at("2023-03-01T09:30:00+08:00"), actor: "clerk-06")
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.transferred(toWindow: "W99"), to: number, at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-06")
        }
        #expect(violation?.reason.contains("window W99") == true)
        #expect(try t.store.digest() == head)
        try await t.ledger.record(.transferred(toWindow: "W01"), to: number, at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-06")
    }

    @Test("an item is checked against the catalog in force at the event's time, not today's")
    func catalogInForce() async throws {
        let t = try await HallLedger()
        let later = HallFixtures.item("M-2", department: "市场监管")
        try await t.ledger.publishCatalog(items: [later], at: at("2023-06-01T00:00:00+08:00"), actor: "catalog-admin")
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.submit("LZH-2023-000003", "M-2", at: "2023-03-01T09:00:00+08:00")
        }
        #expect(violation?.reason == "item M-2 is not in the catalog in force at 2023-03-01T09:00:00+08:00 (it came into force at 2023-06-01T00:00:00+08:00)")
        #expect(try t.store.digest() == head)
        // From its date on, the item is there.
        let number = try await t.submit("LZH-2023-000003", "M-2", at: "2023-06-01T09:00:00+08:00")
        try await t.ledger.record(.accept(AcceptanceRequest(item: "M-2", window: "W02")), to: number,
                                  at: at("2023-06-01T09:30:00+08:00"), actor: "clerk-06")
        // The catalog read back from the log knows when each item came into force.
        #expect(try t.reopened().catalog.item("M-2", asOf: at("2023-05-31T23:59:59+08:00")) == nil)
    }

    @Test("an acceptance takes the item's limits as the catalog had them at that moment")
    func limitsAsOfTheAcceptance() async throws {
        let t = try await HallLedger()
        var revised = HallFixtures.items[0]
        revised.promisedDays = 1
        try await t.ledger.publishCatalog(items: [revised], at: at("2023-06-01T00:00:00+08:00"), actor: "catalog-admin")
        // Recorded after the revision, but accepted before it: the old limit applies.
        let number = try await t.submit("LZH-2023-000004", "M-1", at: "2023-05-30T09:00:00+08:00")
        try await t.ledger.record(.accept(AcceptanceRequest(item: "M-1", window: "W02")), to: number,
                                  at: at("2023-05-30T09:30:00+08:00"), actor: "clerk-06")
        #expect(try t.ledger.file(of: number).acceptance?.promisedDays == 3)
    }

    static let residentID = "11010519491231002X"

    /// Events carrying personal numbers, and the field each error must name.
    static let personalData: [(data: EventData, field: String, kind: String)] = [
        (.rejected(reason: "申请人身份证号 \(residentID) 与材料不符"), "data.reason", "a resident ID number"),
        (.withdrawn(reason: "本人来电 138 0013 8000 撤回"), "data.reason", "a mobile number"),
        (.suspended(procedure: .other, reason: "联系+8613800138000"), "data.reason", "a mobile number"),
        (.stepCompleted(step: .review, opinion: "核对身份证１１０１０５１９４９１２３１００２Ｘ"), "data.opinion", "a resident ID number"),
        (.supplementRequested(materials: ["营业执照", "身份证 110105-19491231-0021"]), "data.materials[1]", "a resident ID number"),
    ]

    @Test("free text holding a resident ID or mobile number is refused; the error names the field, never the number")
    func personalDataInText() async throws {
        let t = try await HallLedger()
        let number = try await t.submit("LZH-2023-000005", "M-1", at: "2023-03-01T09:00:00+08:00")
        for (data, field, kind) in Self.personalData {
            let head = try t.store.digest()
            let violation = await #expect(throws: RuleViolation.self) {
                try await t.ledger.record(data, to: number, at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-06")
            }
            let text = violation?.description ?? ""
            #expect(text.contains("\(field) holds \(kind)"), "\(text)")
            for digits in ["0013", "19491231", "1949"] { #expect(!text.contains(digits), "\(text)") }
            #expect(try t.store.digest() == head)
        }
    }

    @Test("an applicant reference or a review comment holding a personal number is refused")
    func personalDataInReferenceAndComment() async throws {
        let t = try await HallLedger()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(HallFixtures.submitted("M-1", ref: Self.residentID), to: caseNo("LZH-2023-000006"),
                                      at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-06")
        }
        #expect(violation?.reason.hasPrefix("data.applicant.ref holds a resident ID number") == true)
        #expect(try t.store.version(of: caseNo("LZH-2023-000006")) == nil)

        let number = try await t.submit("LZH-2023-000007", "M-1", at: "2023-03-01T09:00:00+08:00")
        try await t.ledger.record(.visited, to: number, at: at("2023-03-01T09:05:00+08:00"), actor: "clerk-06")
        let comment = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.evaluated(Evaluation(level: 5, channel: .qrCode, comment: "回电13912345678")), to: number,
                                      at: at("2023-03-01T09:10:00+08:00"), actor: "applicant")
        }
        #expect(comment?.reason.hasPrefix("data.comment holds a mobile number") == true)
    }

    @Test("what looks like a number but is none of these passes", arguments: [
        "LZH-2023-000123", "2023-09-28", "证照 JY-2023-000123", "座机 0710-1234567", "银行卡 6222021234567890123",
        "编号 12345678901", "旧号码 1380013800", "X光片 3 张",
        "P-a13912345678b0", "E-13912345678abcdef", "P-0123456789abcdef0123456789abcdef", "JY11010519491231002Xa",
    ])
    func notPersonalData(_ text: String) {
        #expect(PersonalData.find(in: text) == nil, "\(text)")
    }

    @Test("resident ID numbers with or without X, checksum-valid or not, and mobiles however written are found", arguments: [
        ("11010519491231002X", PersonalData.Kind.residentID), ("110105194912310021", .residentID),
        ("110105194912310028", .residentID), ("身份证:110105194912310021。", .residentID), ("11010519491231002x", .residentID),
        ("13800138000", .mobile), ("手机 138-0013-8000", .mobile), ("+86 138 0013 8000", .mobile), ("８６１３８００１３８０００", .mobile),
        ("电话19912345678转", .mobile),
    ])
    func personalNumbers(_ text: String, _ kind: PersonalData.Kind) {
        #expect(PersonalData.find(in: text) == kind, "\(text)")
    }
}
