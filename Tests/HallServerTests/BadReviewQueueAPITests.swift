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

/// `GET /bad-reviews` lists the 差评 work queue as `ledger bad-reviews` does: each review's stage
/// in the loop and the times of the steps taken (Docs/REVIEWS.md).
@Suite("The bad-review work queue over HTTP")
struct BadReviewQueueAPITests {
    /// A case at `window` approved and reviewed 非常不满意 on 2023-06-21, then `steps`.
    static func reviewed(_ fixture: HallFixture, _ number: String, window: String, steps: [(String, EventData)]) async throws {
        try await fixture.openCase(number, window: window, on: "2023-06-20")
        let caseNumber = try CaseNumber(number)
        try await fixture.ledger.record(.approved(certificate: nil), to: caseNumber, at: at("2023-06-21T10:00:00+08:00"), actor: "clerk-01")
        try await fixture.ledger.record(.evaluated(Evaluation(level: 5, channel: .hallTablet, comment: "太慢")), to: caseNumber,
                                        at: at("2023-06-21T11:00:00+08:00"), actor: "applicant")
        for (time, data) in steps { try await fixture.ledger.record(data, to: caseNumber, at: at(time), actor: "manager-1") }
    }

    @Test("each review's stage, holder and step times; open=false adds the closed ones; ?window= keeps one window's")
    func stages() async throws {
        let fixture = try await HallFixture()
        try await Self.reviewed(fixture, "LZH-2023-000140", window: "W01", steps: [
            ("2023-06-21T15:00:00+08:00", .followedUp),
            ("2023-06-25T10:00:00+08:00", .appealed(ground: .mistaken, reason: "误选办件")),
        ])
        try await Self.reviewed(fixture, "LZH-2023-000141", window: "W02", steps: [
            ("2023-06-21T15:00:00+08:00", .followedUp),
            ("2023-06-26T10:00:00+08:00", .rectified(note: "已整改")),
            ("2023-06-27T10:00:00+08:00", .feedbackGiven(note: "已告知")),
        ])
        try await Self.reviewed(fixture, "LZH-2023-000142", window: "W02", steps: [])
        try fixture.hall.catchUp()
        try await fixture.application().test(.router) { client in
            func reviews(_ query: String) async throws -> [String: [String: Any]] {
                let response = try await client.execute(uri: "/bad-reviews" + query, method: .get, headers: bearer("auditor-1"))
                #expect(response.status == .ok, "\(query)")
                let list = try #require(response.object["reviews"] as? [[String: Any]])
                #expect(response.object["count"] as? Int == list.count)
                return Dictionary(uniqueKeysWithValues: list.map { ($0["case"] as? String ?? "", $0) })
            }
            let open = try await reviews("")
            #expect(open.keys.sorted() == ["LZH-2023-000140", "LZH-2023-000142"])
            let appealed = try #require(open["LZH-2023-000140"])
            #expect(appealed["stage"] as? String == "underAppeal")
            #expect(appealed["stageLabel"] as? String == "申诉复核中")
            #expect(appealed["holder"] as? String == "申诉复核")
            #expect(appealed["appealGround"] as? String == "mistaken")
            let steps = try #require(appealed["steps"] as? [String: Any])
            #expect((steps["calledBackAt"] as? String)?.hasPrefix("2023-06-21T15:00:00") == true)
            #expect((steps["appealedAt"] as? String)?.hasPrefix("2023-06-25T10:00:00") == true)
            #expect(steps["appealDecidedAt"] is NSNull && steps["rectifiedAt"] is NSNull && steps["fedBackAt"] is NSNull)
            #expect((appealed["deadlines"] as? [String: Any])?["appealDecision"] is String)
            #expect(open["LZH-2023-000142"]?["stage"] as? String == "awaitingCallBack")
            #expect(open["LZH-2023-000142"]?["overdue"] as? Bool == true)

            let all = try await reviews("?open=false")
            #expect(all.count == 3)
            let closed = try #require(all["LZH-2023-000141"])
            #expect(closed["stage"] as? String == "closed")
            #expect(closed["due"] is NSNull)
            let closedSteps = try #require(closed["steps"] as? [String: Any])
            #expect((closedSteps["rectifiedAt"] as? String)?.hasPrefix("2023-06-26T10:00:00") == true)
            #expect((closedSteps["fedBackAt"] as? String)?.hasPrefix("2023-06-27T10:00:00") == true)

            #expect(try await reviews("?open=false&window=W02").keys.sorted() == ["LZH-2023-000141", "LZH-2023-000142"])
            #expect(try await client.execute(uri: "/bad-reviews?window=W99", method: .get, headers: bearer("auditor-1")).status == .notFound)
            #expect(try await client.execute(uri: "/bad-reviews?window=W%2001", method: .get, headers: bearer("auditor-1")).status == .badRequest)
        }
    }
}
