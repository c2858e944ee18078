@testable import ContactsVault
import Testing

@Suite("Contact validation")
struct ContactValidationTests {
    @Test("a mainland mobile is 11 digits starting 13–19; spaces and hyphens are dropped")
    func mobiles() throws {
        #expect(try MobileNumber("13812345678").digits == "13812345678")
        #expect(try MobileNumber(" 138-1234-5678 ").digits == "13812345678")
        for bad in ["12812345678", "1381234567", "138123456789", "1381234567a", "", "+8613812345678"] {
            #expect(throws: VaultError.invalidMobile) { try MobileNumber(bad) }
        }
    }

    @Test("an ID-card number passes the ISO 7064 MOD 11-2 check; a lower-case x is upper-cased")
    func idNumbers() throws {
        #expect(try IDCardNumber("11010519491231002X").normalized == "11010519491231002X")
        #expect(try IDCardNumber(" 11010519491231002x\n").normalized == "11010519491231002X")
        #expect(try IDCardNumber("110101199003074573").normalized == "110101199003074573")
    }

    @Test("a wrong check character is named as such, and no error repeats the number")
    func idNumberErrors() throws {
        let cases: [(String, String)] = [
            ("110105194912310021", "check character"),
            ("11010519491231002", "18 characters"),
            ("1101051949123100XX", "first 17"),
            ("11010519491231002Y", "digit or X"),
        ]
        for (bad, words) in cases {
            do {
                _ = try IDCardNumber(bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.description.contains(words))
                #expect(!error.description.contains(bad.prefix(17)))
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(!VaultError.invalidMobile.description.contains("138"))
    }

    @Test("a name is trimmed; empty, over-long and control-character names are refused")
    func names() throws {
        let mobile = try MobileNumber("13912345678")
        #expect(try ContactDetails(name: "  李四 ", mobile: mobile, idNumber: nil).name == "李四")
        #expect(throws: VaultError.invalidName("it is empty")) { try ContactDetails(name: "  ", mobile: mobile, idNumber: nil) }
        #expect(throws: VaultError.invalidName("it is longer than 100 characters")) {
            try ContactDetails(name: String(repeating: "王", count: 101), mobile: mobile, idNumber: nil)
        }
        #expect(throws: VaultError.invalidName("it contains a control character")) {
            try ContactDetails(name: "李\u{7}四", mobile: mobile, idNumber: nil)
        }
    }
}
