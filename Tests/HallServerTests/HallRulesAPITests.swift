import CaseDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import HallServer

/// The server writes through the same rules-checked door as `ledger import`: with the hall's
/// roster (as `ledger serve` opens it) it refuses an unknown window, a department neither hosted
/// nor granted, and personal numbers — 422, the rule's reason, nothing written.
@Suite("The case API refuses what the hall refuses")
struct HallRulesAPITests {
    @Test("an acceptance at a window not in the roster, or outside the window's departments: 422, nothing written")
    func windowsAndDepartments() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            let unknown = try await client.execute(uri: "/cases/LZH-2023-000700/events", method: .post, headers: jsonHeaders("manager-1"),
                                                   body: ByteBuffer(string: "[\(submitJSON),\(acceptJSON(window: "W99"))]"))
            #expect(unknown.status == .unprocessableContent)
            #expect((unknown.object["message"] as? String)?.contains("window W99 is not one of the hall's windows") == true, "\(unknown.object)")

            let social = submitJSON.replacingOccurrences(of: HallFixture.market, with: HallFixture.social)
            let outside = try await client.execute(uri: "/cases/LZH-2023-000701/events", method: .post, headers: jsonHeaders("manager-1"),
                                                   body: ByteBuffer(string: "[\(social),\(acceptJSON(window: "W02", item: HallFixture.social))]"))
            #expect(outside.status == .unprocessableContent)
            #expect((outside.object["message"] as? String)?.contains("window W02 does not host 人社") == true, "\(outside.object)")
        }
        #expect(try fixture.store.version(of: try CaseNumber("LZH-2023-000700")) == nil)
        #expect(try fixture.store.version(of: try CaseNumber("LZH-2023-000701")) == nil)
    }

    @Test("an applicant reference holding a mobile number: 422 naming the field, never the number")
    func personalData() async throws {
        let fixture = try await HallFixture(hallRules: true)
        try await fixture.application().test(.router) { client in
            let body = submitJSON.replacingOccurrences(of: "\"P-9\"", with: "\"13800138000\"")
            let refused = try await client.execute(uri: "/cases/LZH-2023-000702/events", method: .post, headers: jsonHeaders("clerk-01"),
                                                   body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent)
            let message = refused.object["message"] as? String ?? ""
            #expect(message.contains("data.applicant.ref holds a mobile number") && !message.contains("13800138000"), "\(message)")
        }
        #expect(try fixture.store.version(of: try CaseNumber("LZH-2023-000702")) == nil)
    }
}
