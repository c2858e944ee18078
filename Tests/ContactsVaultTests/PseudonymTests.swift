import Foundation
@testable import ContactsVault
import Testing
import TestSupport

@Suite("Pseudonyms")
struct PseudonymTests {
    let directory = TemporaryDirectory("pseudonym")

    func key(_ name: String) throws -> PseudonymKey {
        try PseudonymKey.generate(file: directory.appending(name))
        return try PseudonymKey(file: directory.appending(name))
    }

    @Test("the same person gets the same pseudonym, however the number is typed; P- and 32 hex digits")
    func samePerson() throws {
        let key = try key("k")
        let a = try ContactDetails(name: "张三", mobile: try MobileNumber("13812345678"), idNumber: try IDCardNumber("11010519491231002X"))
        let b = try ContactDetails(name: "张 三", mobile: try MobileNumber("13987654321"), idNumber: try IDCardNumber(" 11010519491231002x"))
        let p = Pseudonym(of: a, key: key)
        #expect(p == Pseudonym(of: b, key: key))
        #expect(p.text.count == 34 && p.text.hasPrefix("P-"))
        #expect(try Pseudonym(p.text) == p)
    }

    @Test("another district key, or no ID number, gives another pseudonym")
    func differentKeysAndSources() throws {
        let (k1, k2) = (try key("k1"), try key("k2"))
        let withID = try ContactDetails(name: "张三", mobile: try MobileNumber("13812345678"), idNumber: try IDCardNumber("11010519491231002X"))
        let withoutID = try ContactDetails(name: "张三", mobile: try MobileNumber("13812345678"), idNumber: nil)
        #expect(Pseudonym(of: withID, key: k1) != Pseudonym(of: withID, key: k2))
        #expect(Pseudonym(of: withID, key: k1) != Pseudonym(of: withoutID, key: k1))
        #expect(Pseudonym(of: withoutID, key: k1) == Pseudonym(of: withoutID, key: k1))
    }

    @Test("text that is not a pseudonym is refused without being repeated")
    func parsing() {
        for bad in ["P-1", "p-0123456789abcdef0123456789abcdef", "P-0123456789ABCDEF0123456789ABCDEF", "11010519491231002X", ""] {
            #expect(throws: VaultError.invalidPseudonym) { try Pseudonym(bad) }
        }
        #expect(!VaultError.invalidPseudonym.description.contains("11010519491231002X"))
    }

    @Test("a generated key file is mode 0600 and never overwritten; a key others can read is refused")
    func keyFiles() throws {
        let path = directory.appending("district.key")
        try PseudonymKey.generate(file: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: VaultError.self) { try PseudonymKey.generate(file: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        chmod(path, 0o644)
        #expect(throws: VaultError.keyFile(path: path, reason: "is readable by others; run chmod 600 on it")) { try PseudonymKey(file: path) }
        let junk = directory.appending("junk.key")
        _ = FileManager.default.createFile(atPath: junk, contents: Data("not hex\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: VaultError.self) { try PseudonymKey(file: junk) }
    }
}
