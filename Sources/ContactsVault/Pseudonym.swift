import Crypto
import Foundation

/// How the log names an applicant: `P-` and 32 lowercase hex digits, the first 16 bytes of an
/// HMAC-SHA256 under the district's ``PseudonymKey``.
///
/// With an ID-card number the HMAC is over `id:` and the normalized number, so the same person
/// gets the same pseudonym at every visit (repeat-applicant statistics work) and nobody without
/// the district key can test a guessed number. Without one it is over `mobile:` and the mobile's
/// digits: the same mobile, the same pseudonym. The prefixes keep the two from ever colliding.
public struct Pseudonym: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// Parses a pseudonym as printed by `ledger applicant add`.
    public init(_ text: String) throws(VaultError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 34, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "-"),
              bytes[2...].allSatisfy({ (0x30 ... 0x39).contains($0) || (0x61 ... 0x66).contains($0) })
        else { throw .invalidPseudonym }
        self.text = text
    }

    /// The pseudonym of the applicant with these details under `key`.
    public init(of contact: ContactDetails, key: PseudonymKey) {
        let message = contact.idNumber.map { "id:" + $0.normalized } ?? "mobile:" + contact.mobile.digits
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key.symmetricKey)
        text = "P-" + mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { text }
    public static func < (a: Pseudonym, b: Pseudonym) -> Bool { a.text < b.text }
}

/// The district's pseudonym key: 32 random bytes, kept in a file outside the store as 64 hex
/// digits and a newline. Anyone holding it and an ID number can find that person's cases, so the
/// file must be readable by its owner only.
public struct PseudonymKey: Sendable {
    private let bytes: [UInt8]
    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    /// Reads the key file. Refuses one that group or others may read.
    public init(file path: String) throws(VaultError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .keyFile(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))") }
        guard info.st_mode & 0o077 == 0 else {
            throw .keyFile(path: path, reason: "is readable by others; run chmod 600 on it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFile(path: path, reason: "cannot be read")
        }
        let hex = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = PseudonymKey.bytes(hex: hex), bytes.count == 32 else {
            throw .keyFile(path: path, reason: "is not a pseudonym key (64 hex digits, as `ledger applicant key generate` writes)")
        }
        self.bytes = bytes
    }

    /// Writes a new random key to `path`, readable by its owner only. Refuses to overwrite a file:
    /// replacing the key would give every applicant a new pseudonym.
    public static func generate(file path: String) throws(VaultError) {
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw .keyFile(path: path, reason: errno == EEXIST ? "already exists; a new key would change every pseudonym, so it is never overwritten"
                                                               : "cannot be created (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw .keyFile(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))")
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i ... i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
