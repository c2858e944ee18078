import Foundation

/// An applicant's contact as the hall keeps it for call-backs (回访): name, mainland mobile and,
/// when the hall must keep one, the resident ID-card number. Only ever held in memory in the
/// clear; on disk it exists only sealed under the applicant's own key.
public struct ContactDetails: Sendable, Hashable {
    public let name: String
    public let mobile: MobileNumber
    public let idNumber: IDCardNumber?

    /// - Throws: `VaultError.invalidName` for an empty name, one over 100 characters, or one
    ///   with control characters.
    public init(name: String, mobile: MobileNumber, idNumber: IDCardNumber?) throws(VaultError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidName("it is empty") }
        guard trimmed.count <= 100 else { throw .invalidName("it is longer than 100 characters") }
        guard trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
            throw .invalidName("it contains a control character")
        }
        self.name = trimmed
        self.mobile = mobile
        self.idNumber = idNumber
    }
}

/// A mainland mobile number: 11 digits, `1` then `3`–`9`. Spaces and hyphens are dropped.
public struct MobileNumber: Sendable, Hashable, CustomStringConvertible {
    public let digits: String

    public init(_ text: String) throws(VaultError) {
        let digits = String(text.unicodeScalars.filter { $0 != " " && $0 != "-" }.map(Character.init))
        let bytes = Array(digits.utf8)
        guard bytes.count == 11, bytes.allSatisfy({ (0x30 ... 0x39).contains($0) }),
              bytes[0] == 0x31, (0x33 ... 0x39).contains(bytes[1])
        else { throw .invalidMobile }
        self.digits = digits
    }

    public var description: String { digits }
}

/// A resident ID-card number (GB 11643): 17 digits and a check character, a digit or `X`,
/// verified with ISO 7064 MOD 11-2. Surrounding spaces are trimmed and `x` upper-cased, so one
/// person always has one number (and one pseudonym).
public struct IDCardNumber: Sendable, Hashable, CustomStringConvertible {
    public let normalized: String

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432".utf8)

    public init(_ text: String) throws(VaultError) {
        let normalized = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let bytes = Array(normalized.utf8)
        guard bytes.count == 18 else { throw .invalidIDNumber("expected 18 characters") }
        guard bytes[..<17].allSatisfy({ (0x30 ... 0x39).contains($0) }) else {
            throw .invalidIDNumber("the first 17 characters must be digits")
        }
        guard (0x30 ... 0x39).contains(bytes[17]) || bytes[17] == UInt8(ascii: "X") else {
            throw .invalidIDNumber("the last character must be a digit or X")
        }
        let sum = zip(bytes[..<17], IDCardNumber.weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 }
        guard bytes[17] == IDCardNumber.checkCharacters[sum % 11] else {
            throw .invalidIDNumber("the check character does not match (ISO 7064 MOD 11-2); check the number for a typo")
        }
        self.normalized = normalized
    }

    public var description: String { normalized }
}
