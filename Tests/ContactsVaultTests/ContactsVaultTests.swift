import CaseDomain
@testable import ContactsVault
import DomainTestSupport
import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Contacts vault")
struct ContactsVaultTests {
    @Test("a contact added is read back whole, and the read is on the access stream")
    func addAndRead() async throws {
        let f = try await VaultFixture()
        let added = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: at("2023-03-01T08:00:00+08:00"))
        #expect(!added.replaced)
        let lookup = try await f.vault.contact(of: added.pseudonym, readBy: .custodian("auditor-1"), reason: "回访",
                                               at: at("2023-03-02T10:00:00+08:00"))
        guard case .contact(let c) = lookup else { Issue.record("expected a contact, got \(lookup)"); return }
        #expect(c.details == VaultFixture.zhang)
        #expect(c.addedAt == at("2023-03-01T08:00:00+08:00"))
        let accesses = try f.ledger.accesses(of: added.pseudonym.text)
        #expect(accesses.count == 1)
        #expect(accesses.first?.actor == "auditor-1")
        #expect(accesses.first?.type == .contactRead)
        #expect(accesses.first?.access.reason == "回访")
        #expect(accesses.first?.at == at("2023-03-02T10:00:00+08:00"))
    }

    @Test("adding the same person again replaces the contact under the same pseudonym and key")
    func addAgain() async throws {
        let f = try await VaultFixture()
        let first = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now())
        let key = try #require(try f.vault.keys.key(of: first.pseudonym))
        let moved = try ContactDetails(name: "张三", mobile: try MobileNumber("13900001111"), idNumber: try IDCardNumber("11010519491231002x"))
        let second = try f.vault.add(moved, key: f.districtKey, at: .now())
        #expect(second.pseudonym == first.pseudonym && second.replaced)
        #expect(try f.vault.keys.key(of: first.pseudonym) == key)
        guard case .contact(let c) = try await f.vault.contact(of: first.pseudonym, readBy: .custodian("a"), reason: "回访") else {
            Issue.record("expected a contact"); return
        }
        #expect(c.details.mobile.digits == "13900001111")
    }

    @Test("a clerk reads a contact only when their window holds one of the applicant's cases; a refusal records nothing")
    func clerkWindow() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        #expect(try f.vault.window("W05", holdsCaseOf: p) == false)
        await #expect(throws: VaultError.notPermitted(actor: "clerk-05", window: "W05")) {
            try await f.vault.contact(of: p, readBy: .clerk("clerk-05", window: "W05"), reason: "回访")
        }
        try await f.openCase("LZH-2023-900001", for: p, at: "W05")
        await #expect(throws: VaultError.notPermitted(actor: "clerk-02", window: "W02")) {
            try await f.vault.contact(of: p, readBy: .clerk("clerk-02", window: "W02"), reason: "回访")
        }
        #expect(try f.ledger.accesses(of: p.text).isEmpty)
        let lookup = try await f.vault.contact(of: p, readBy: .clerk("clerk-05", window: "W05"), reason: "差评回访")
        guard case .contact = lookup else { Issue.record("expected a contact"); return }
        #expect(try f.vault.cases(of: p) == [try CaseNumber("LZH-2023-900001")])
        #expect(try f.ledger.accesses(of: p.text).map(\.actor) == ["clerk-05"])
    }

    @Test("a transfer moves the right to read with the case")
    func transfer() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try await f.openCase("LZH-2023-900002", for: p, at: "W05")
        try await f.ledger.record(.transferred(toWindow: "W07"), to: try CaseNumber("LZH-2023-900002"),
                                  at: at("2023-03-01T10:00:00+08:00"), actor: "clerk-05")
        #expect(try f.vault.window("W07", holdsCaseOf: p))
        #expect(try !f.vault.window("W05", holdsCaseOf: p))
    }

    @Test("an unknown pseudonym and an empty reason are refused, and nothing is recorded")
    func refusals() async throws {
        let f = try await VaultFixture()
        let stranger = try Pseudonym("P-0123456789abcdef0123456789abcdef")
        await #expect(throws: VaultError.unknownApplicant(stranger)) {
            try await f.vault.contact(of: stranger, readBy: .custodian("a"), reason: "回访")
        }
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        await #expect(throws: VaultError.invalidReason) { try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "") }
        await #expect(throws: VaultError.unknownApplicant(stranger)) { try await f.vault.erase(stranger, by: "a", reason: "request") }
        #expect(try f.store.version(of: .contactAccess) == nil)
    }

    @Test("the clear contact never reaches a file of the store, even before it is erased")
    func neverInTheClear() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try await f.openCase("LZH-2023-900003", for: p, at: "W05")
        _ = try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "回访")
        for file in try f.storeFiles() {
            for secret in ["张三", "13812345678", "11010519491231002X"] {
                #expect(!contains(file.bytes, Array(secret.utf8)), "\(secret) found in \(file.path)")
            }
        }
    }

    @Test("erasing destroys the key and the record: show says when and why, no file holds the contact or the key, the log verifies")
    func erase() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try await f.openCase("LZH-2023-900004", for: p, at: "W05")
        _ = try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "回访")
        let keyBytes = try #require(try f.vault.keys.key(of: p)).withUnsafeBytes { Array($0) }
        let sealed = try #require(try f.vault.environment.read { try $0.get(f.vault.contacts, p.text) })
        let caseEvents = try f.store.events(of: try CaseNumber("LZH-2023-900004"))
        let digestBefore = try f.store.digest()
        // A copy of the key left by an add that crashed before linking it into place.
        let stray = f.vault.keys.directory + "/\(p.text).4242.new"
        #expect(FileManager.default.createFile(atPath: stray, contents: Data(keyBytes)))
        #expect(try f.storeFiles().contains { contains($0.bytes, keyBytes) }, "the search must find the key while it exists")

        let erasure = try await f.vault.erase(p, by: "officer-1", reason: "申请人要求删除", at: at("2023-04-01T09:00:00+08:00"))
        #expect(erasure == Erasure(pseudonym: p, at: at("2023-04-01T09:00:00+08:00"), actor: "officer-1", reason: "申请人要求删除"))
        #expect(try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "回访") == .erased(erasure))
        #expect(try f.vault.keys.key(of: p) == nil)
        #expect(!FileManager.default.fileExists(atPath: stray))
        await #expect(throws: VaultError.alreadyErased(p)) { try await f.vault.erase(p, by: "officer-1", reason: "again") }

        for file in try f.storeFiles() {
            for secret in [Array("张三".utf8), Array("13812345678".utf8), Array("11010519491231002X".utf8), keyBytes] {
                #expect(!contains(file.bytes, secret), "a secret was found in \(file.path)")
            }
        }
        // The sealed bytes may linger in a free LMDB page, but nothing opens them any more.
        #expect(throws: (any Error).self) {
            try AES_GCM_open(sealed, keyBytes: [UInt8](repeating: 0, count: 32), pseudonym: p)
        }
        #expect(try f.store.events(of: try CaseNumber("LZH-2023-900004")) == caseEvents)
        // The log verifies, and still holds the digest published before the erase: nothing was rewritten.
        #expect(try f.store.verify(against: digestBefore).last == digestBefore.seq + 1)
        #expect(try f.ledger.accesses(of: p.text).map(\.type) == [.contactRead, .contactErased])
    }

    @Test("an applicant erased may be added again, with a new key")
    func addAfterErase() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try await f.vault.erase(p, by: "officer-1", reason: "申请人要求删除")
        let again = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now())
        #expect(again.pseudonym == p && !again.replaced)
        guard case .contact = try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "回访") else {
            Issue.record("expected a contact"); return
        }
    }

    @Test("a lost key is reported as such, and nothing is recorded")
    func lostKey() async throws {
        let f = try await VaultFixture()
        let p = try f.vault.add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try FileManager.default.removeItem(atPath: f.vault.keys.directory + "/\(p.text).key")
        await #expect(throws: VaultError.keyMissing(p)) { try await f.vault.contact(of: p, readBy: .custodian("a"), reason: "回访") }
        #expect(try f.ledger.accesses(of: p.text).isEmpty)
    }
}

/// Opens `sealed` with a given key, as someone holding only the store's files would try.
private func AES_GCM_open(_ sealed: [UInt8], keyBytes: [UInt8], pseudonym: Pseudonym) throws {
    _ = try SealedContact.open(sealed, of: pseudonym, key: .init(data: keyBytes))
}

@Suite("Contacts vault: the case index")
struct CaseIndexTests {
    @Test("a vault opened again goes on from its stored checkpoint and finds each case once")
    func reopen() async throws {
        let f = try await VaultFixture()
        let directory = f.directory.appending("contacts-2")
        var vault: ContactsVault? = try ContactsVault(directory: directory, ledger: f.ledger)
        let p = try #require(vault).add(VaultFixture.zhang, key: f.districtKey, at: .now()).pseudonym
        try await f.openCase("LZH-2023-900011", for: p, at: "W05")
        #expect(try #require(vault).window("W05", holdsCaseOf: p))
        // Reads append to the log; the index reads them too, with no case to store.
        _ = try await #require(vault).contact(of: p, readBy: .clerk("clerk-05", window: "W05"), reason: "回访")
        #expect(try #require(vault).window("W05", holdsCaseOf: p))
        vault = nil

        try await f.openCase("LZH-2023-900012", for: p, at: "W06")
        let again = try ContactsVault(directory: directory, ledger: f.ledger)
        #expect(try again.window("W06", holdsCaseOf: p))
        #expect(try !again.window("W07", holdsCaseOf: p))
        #expect(try again.cases(of: p).map(\.rawValue) == ["LZH-2023-900011", "LZH-2023-900012"])
    }
}
