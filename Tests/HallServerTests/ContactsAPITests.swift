import CaseDomain
import ContactsVault
import DomainTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Testing
@testable import HallServer

/// A hall with a contacts vault holding 李四, whose case LZH-2023-000700 was accepted at W01.
private struct ContactsHall {
    let fixture: HallFixture
    let pseudonym: Pseudonym

    static let name = "李四"
    static let mobile = "13987654321"
    static let idNumber = "11010519491231002X"

    init() async throws {
        fixture = try await HallFixture(withContacts: true)
        let vault = try #require(fixture.contacts)
        try PseudonymKey.generate(file: fixture.directory.appending("district.key"))
        let key = try PseudonymKey(file: fixture.directory.appending("district.key"))
        let details = try ContactDetails(name: Self.name, mobile: try MobileNumber(Self.mobile), idNumber: try IDCardNumber(Self.idNumber))
        pseudonym = try vault.add(details, key: key, at: at("2023-06-26T08:00:00+08:00")).pseudonym
        let caseNumber = try CaseNumber("LZH-2023-000700")
        try await fixture.ledger.record(.submitted(Submission(item: HallFixture.market, channel: .window,
                                                              applicant: Applicant(kind: .person, ref: pseudonym.text))),
                                        to: caseNumber, at: at("2023-06-26T09:00:00+08:00"), actor: "clerk-01")
        try await fixture.ledger.record(.accept(AcceptanceRequest(item: HallFixture.market, window: "W01")), to: caseNumber,
                                        at: at("2023-06-26T09:10:00+08:00"), actor: "clerk-01")
    }

    var contactURI: String { "/applicants/\(pseudonym.text)/contact" }

    func reads() throws -> [RecordedAccess] { try fixture.ledger.accesses(of: pseudonym.text) }
}

@Suite("Applicants' contacts over the API: the vault's rules, every read recorded, nothing in the logs")
struct ContactsAPITests {
    @Test("a clerk of a window holding the applicant's case reads the contact; the read is on the ACCESS stream first")
    func clerkReads() async throws {
        let hall = try await ContactsHall()
        try await hall.fixture.application().test(.router) { client in
            let read = try await client.execute(uri: hall.contactURI + "?reason=%E5%B7%AE%E8%AF%84%E5%9B%9E%E8%AE%BF", method: .get,
                                                headers: bearer("clerk-01"))
            #expect(read.status == .ok)
            #expect(read.object["name"] as? String == ContactsHall.name)
            #expect(read.object["mobile"] as? String == ContactsHall.mobile)
            #expect(read.object["idNumber"] as? String == ContactsHall.idNumber)
            #expect(read.object["window"] as? String == "W01")
            #expect(read.headers[.cacheControl] == "no-store")
        }
        let accesses = try hall.reads()
        #expect(accesses.map(\.actor) == ["clerk-01"])
        #expect(accesses.map(\.type) == [.contactRead])
        #expect(accesses.first?.access.reason == "差评回访")
    }

    @Test("refused, with nothing read or recorded: another window's clerk, a window not the clerk's, every other role, the pages' cookie, no token")
    func refusals() async throws {
        let hall = try await ContactsHall()
        try await hall.fixture.application().test(.router) { client in
            let otherWindow = try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-06"))
            #expect(otherWindow.status == .forbidden)
            #expect(!otherWindow.text.contains(ContactsHall.name))
            let notTheirs = try await client.execute(uri: hall.contactURI + "?window=W02", method: .get, headers: bearer("clerk-01"))
            #expect(notTheirs.status == .forbidden)
            for holder in ["manager-1", "analyst-1", "auditor-1", "admin-1"] {
                let response = try await client.execute(uri: hall.contactURI, method: .get, headers: bearer(holder))
                #expect(response.status == .forbidden, "\(holder)")
                #expect(!response.text.contains(ContactsHall.mobile), "\(holder)")
            }
            let cookie = try await client.execute(uri: hall.contactURI, method: .get, headers: [.cookie: "hall_token=t-clerk-01"])
            #expect(cookie.status == .forbidden)
            #expect(try await client.execute(uri: hall.contactURI, method: .get).status == .unauthorized)
            let bad = try await client.execute(uri: "/applicants/P-%3Cb%3E/contact", method: .get, headers: bearer("clerk-01"))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "bad_pseudonym")
            let unknown = try await client.execute(uri: "/applicants/P-\(String(repeating: "0", count: 32))/contact", method: .get,
                                                   headers: bearer("clerk-01"))
            #expect(unknown.status == .notFound)
            let noReason = try await client.execute(uri: hall.contactURI + "?reason=", method: .get, headers: bearer("clerk-01"))
            #expect(noReason.status == .badRequest)
        }
        #expect(try hall.reads().isEmpty)
    }

    @Test("an admin erases: afterwards a read is 410 and says when and why, a second erase is 409; the auditor sees who looked")
    func eraseAndAudit() async throws {
        let hall = try await ContactsHall()
        try await hall.fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-01")).status == .ok)
            let erase = "/applicants/\(hall.pseudonym.text)/erase"
            let body = ByteBuffer(string: #"{"reason":"申请人来电要求删除"}"#)
            for holder in ["clerk-01", "manager-1", "auditor-1"] {
                #expect(try await client.execute(uri: erase, method: .post, headers: jsonHeaders(holder), body: body).status == .forbidden, "\(holder)")
            }
            let noReason = try await client.execute(uri: erase, method: .post, headers: jsonHeaders("admin-1"), body: ByteBuffer(string: "{}"))
            #expect(noReason.status == .badRequest)
            let erased = try await client.execute(uri: erase, method: .post, headers: jsonHeaders("admin-1"), body: body)
            #expect(erased.status == .ok)
            #expect(erased.object["by"] as? String == "admin-1")
            let again = try await client.execute(uri: erase, method: .post, headers: jsonHeaders("admin-1"), body: body)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_erased")

            let gone = try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-01"))
            #expect(gone.status == .gone)
            #expect(gone.errorCode == "erased")
            #expect(gone.text.contains("申请人来电要求删除"))
            #expect(!gone.text.contains(ContactsHall.name) && !gone.text.contains(ContactsHall.mobile))

            let accessesURI = "/applicants/\(hall.pseudonym.text)/accesses"
            #expect(try await client.execute(uri: accessesURI, method: .get, headers: bearer("clerk-01")).status == .forbidden)
            #expect(try await client.execute(uri: accessesURI, method: .get, headers: bearer("manager-1")).status == .forbidden)
            let audit = try await client.execute(uri: accessesURI, method: .get, headers: bearer("auditor-1"))
            #expect(audit.status == .ok)
            let rows = try #require(audit.object["accesses"] as? [[String: Any]])
            #expect(rows.map { $0["type"] as? String } == ["contactRead", "contactErased"])
            #expect(rows.map { $0["actor"] as? String } == ["clerk-01", "admin-1"])
        }
    }

    @Test("no personal data and no pseudonym reach the request log, whatever the outcome")
    func nothingInTheLog() async throws {
        let hall = try await ContactsHall()
        let collected = CollectedLog()
        let app = Application(router: buildRouter(hall: hall.fixture.hall),
                              logger: Logger(label: "hall") { _ in CollectedLog.Handler(log: collected) })
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-01")).status == .ok)
            #expect(try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-06")).status == .forbidden)
            _ = try await client.execute(uri: "/applicants/\(hall.pseudonym.text)/erase", method: .post, headers: jsonHeaders("admin-1"),
                                         body: ByteBuffer(string: #"{"reason":"申请人要求"}"#))
            #expect(try await client.execute(uri: hall.contactURI, method: .get, headers: bearer("clerk-01")).status == .gone)
        }
        let everything = collected.lines.withLock { $0 }.joined(separator: "\n")
        #expect(everything.contains("route=/applicants/{pseudonym}/contact"))
        for secret in [ContactsHall.name, ContactsHall.mobile, ContactsHall.idNumber, hall.pseudonym.text, "申请人要求"] {
            #expect(!everything.contains(secret), "\(secret) reached the log")
        }
    }

    @Test("a store without a contacts vault answers 404")
    func noVault() async throws {
        let fixture = try await HallFixture()
        try await fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/applicants/P-\(String(repeating: "a", count: 32))/contact", method: .get,
                                                    headers: bearer("clerk-01"))
            #expect(response.status == .notFound)
        }
    }
}
