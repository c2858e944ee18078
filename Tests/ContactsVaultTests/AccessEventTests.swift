import CaseDomain
import DomainTestSupport
import Foundation
import Ledger
import Testing

/// `contactRead` and `contactErased`: their stored and interchange forms, and the rule that they
/// live on the access stream only.
@Suite("Access events")
struct AccessEventTests {
    static let samples: [EventData] = [
        .contactRead(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: "差评回访 \"引号\"\n第二行")),
        .contactErased(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: "申请人要求删除")),
    ]

    @Test("stored codes and names are fixed")
    func codes() {
        #expect(EventType.contactRead.rawValue == 96 && EventType.contactRead.name == "contactRead")
        #expect(EventType.contactErased.rawValue == 97 && EventType(name: "contactErased") == .contactErased)
    }

    @Test("binary and JSON forms read back what was written", arguments: samples)
    func roundTrip(_ data: EventData) throws {
        let bytes = data.encoded()
        let decoded = try bytes.withUnsafeBytes { raw in try EventData(type: data.type, payload: raw) }
        #expect(decoded == data)
        let line = InterchangeEvent.line(id: UUID(), caseNumber: "ACCESS", type: data.type,
                                         at: at("2023-09-28T10:00:00+08:00"), actor: "clerk-07", data: data)
        #expect(try InterchangeEvent(line: line).request == .record(data))
    }

    @Test("a field the access events do not have is refused")
    func unknownField() throws {
        let value = try JSONValue(parsing: Array(#"{"applicant":"P-1","reason":"r","mobile":"13812345678"}"#.utf8))
        #expect(throws: DataError.self) { try EventData(type: .contactRead, json: value) }
    }

    @Test("access events go to the access stream only, and only they go there")
    func streams() async throws {
        let f = try await VaultFixture()
        let read = EventData.contactRead(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: "回访"))
        await #expect(throws: RuleViolation.self) {
            try await f.ledger.record(read, to: try CaseNumber("LZH-2023-000001"), at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01")
        }
        await #expect(throws: RuleViolation.self) {
            try await f.ledger.record(.submitted(Submission(item: "A1", channel: .window, applicant: Applicant(kind: .person, ref: "P-1"))),
                                      to: .contactAccess, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01")
        }
        await #expect(throws: RuleViolation.self) {
            try await f.ledger.recordAccess(.visited, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01")
        }
        await #expect(throws: RuleViolation.self) {
            try await f.ledger.recordAccess(.contactRead(ContactAccess(applicant: "P-1", reason: "")), at: .now(), actor: "clerk-01")
        }
        try await f.ledger.record(read, to: .contactAccess, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01")
        #expect(try f.store.version(of: .contactAccess) == 0)
    }

    @Test("retrying an access with the same id records it once")
    func idempotent() async throws {
        let f = try await VaultFixture()
        let id = UUID.timeOrdered()
        let read = EventData.contactRead(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: "回访"))
        let first = try await f.ledger.recordAccess(read, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01", id: id)
        let again = try await f.ledger.recordAccess(read, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01", id: id)
        #expect(first == again)
        #expect(try f.ledger.accesses(of: "P-0123456789abcdef0123456789abcdef").count == 1)
    }
}
