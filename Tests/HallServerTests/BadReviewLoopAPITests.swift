import CaseDomain
import DomainTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import HallServer

/// The 差评 loop's events go through the generic event route like every other event, checked by
/// the case rules (Docs/REVIEWS.md).
@Suite("The bad-review loop over HTTP")
struct BadReviewLoopAPITests {
    @Test("call-back, appeal and its decision are recorded; a step out of order is 422 with the rule's reason")
    func loop() async throws {
        let fixture = try await HallFixture()
        try await fixture.openCase("LZH-2023-000130", window: "W01", on: "2023-06-20")
        let number = try CaseNumber("LZH-2023-000130")
        try await fixture.ledger.record(.approved(certificate: nil), to: number, at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try await fixture.ledger.record(.evaluated(Evaluation(level: 5, channel: .hallTablet, comment: "太慢")), to: number,
                                        at: at("2023-06-21T11:00:00+08:00"), actor: "applicant")
        try await fixture.application().test(.router) { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/cases/LZH-2023-000130/events", method: .post, headers: jsonHeaders("manager-1"),
                                         body: ByteBuffer(string: body))
            }
            let early = try await post(eventJSON("rectified", at: "2023-06-21T14:00:00+08:00", data: #"{"note":"已整改"}"#))
            #expect(early.status == .unprocessableContent)
            #expect((early.object["message"] as? String)?.contains("before rectifying") == true)
            let steps = "[" + [
                eventJSON("followedUp", at: "2023-06-21T15:00:00+08:00"),
                eventJSON("appealed", at: "2023-06-25T10:00:00+08:00", data: #"{"ground":"mistaken","reason":"误选办件"}"#),
                eventJSON("appealDecided", at: "2023-06-26T10:00:00+08:00", data: #"{"excluded":true,"reason":"经复核不属实"}"#),
            ].joined(separator: ",") + "]"
            #expect(try await post(steps).status == .created)
        }
        let types = try fixture.store.events(of: number).map { try $0.type }
        #expect(types.suffix(3) == [.followedUp, .appealed, .appealDecided])
    }
}
