import CaseDomain
@testable import ContactsVault
import DomainTestSupport
import Foundation
import Ledger
import TestSupport

/// A ledger over a temporary store with one catalog item, its contacts vault, and a district key.
final class VaultFixture: @unchecked Sendable {
    let directory = TemporaryDirectory("contacts-vault")
    let store: EventStore
    let ledger: CaseLedger
    let vault: ContactsVault
    let districtKey: PseudonymKey

    init() async throws {
        store = try EventStore(directory: directory.appending("events"), codec: CaseEventCodec(), options: .init(initialMapSize: 16 << 20))
        ledger = try CaseLedger(store: store, calendar: try ViewLedger.calendar.get())
        try await ledger.publishCatalog(items: [item("A1", legal: 10, promised: 5, level: .district, department: "民政")],
                                        at: at("2023-01-01T00:00:00+08:00"), actor: "catalog-admin")
        vault = try ContactsVault(directory: directory.appending("contacts"), ledger: ledger)
        try PseudonymKey.generate(file: directory.appending("district.key"))
        districtKey = try PseudonymKey(file: directory.appending("district.key"))
    }

    /// 张三 with a valid ID-card number (the standard's example, check character X).
    static let zhang = try! ContactDetails(name: "张三", mobile: try MobileNumber("13812345678"),
                                           idNumber: try IDCardNumber("11010519491231002X"))

    /// A case submitted under `pseudonym` and accepted at `window`.
    func openCase(_ number: String, for pseudonym: Pseudonym, at window: String) async throws {
        let caseNumber = try CaseNumber(number)
        try await ledger.record(.submitted(Submission(item: "A1", channel: .window, applicant: Applicant(kind: .person, ref: pseudonym.text))),
                                to: caseNumber, at: at("2023-03-01T09:00:00+08:00"), actor: "clerk-01")
        try await ledger.record(.accept(AcceptanceRequest(item: "A1", window: window)), to: caseNumber, at: at("2023-03-01T09:10:00+08:00"), actor: "clerk-01")
    }

    /// Every regular file under the store, with its bytes.
    func storeFiles() throws -> [(path: String, bytes: [UInt8])] {
        try filesUnder(directory.path).filter { !$0.path.hasSuffix("district.key") }
    }
}

func filesUnder(_ root: String) throws -> [(path: String, bytes: [UInt8])] {
    var found: [(String, [UInt8])] = []
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        let path = root + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
        found.append((path, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }
    return found
}

/// Whether `needle` occurs in `haystack` as raw bytes.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var i = 0
    let last = haystack.count - needle.count
    while i <= last {
        if haystack[i] == first, haystack[i ..< i + needle.count].elementsEqual(needle) { return true }
        i += 1
    }
    return false
}
