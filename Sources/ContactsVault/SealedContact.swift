import Crypto
import Foundation
import Ledger

/// A contact sealed under its applicant's key with AES-256-GCM: nonce, ciphertext and tag (the
/// combined form), with the pseudonym as associated data so a record cannot be moved to another
/// applicant. The clear bytes exist only in memory.
///
/// Clear layout, version 1: `u8 1`, name, mobile, optional ID number (varint-length UTF-8
/// strings), `i64` milliseconds when added.
enum SealedContact {
    static let version: UInt8 = 1

    static func seal(_ contact: ContactDetails, addedAt: Timestamp, for pseudonym: Pseudonym,
                     key: SymmetricKey) throws -> [UInt8] {
        var w = ByteWriter(capacity: 96)
        w.u8(version)
        w.string(contact.name)
        w.string(contact.mobile.digits)
        w.optionalString(contact.idNumber?.normalized)
        w.i64(addedAt.milliseconds)
        let box = try AES.GCM.seal(w.bytes, using: key, authenticating: Array(pseudonym.text.utf8))
        guard let combined = box.combined else { throw VaultError.undecryptable(pseudonym) }
        return Array(combined)
    }

    static func open(_ sealed: [UInt8], of pseudonym: Pseudonym, key: SymmetricKey) throws(VaultError) -> StoredContact {
        let clear: Data
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            clear = try AES.GCM.open(box, using: key, authenticating: Array(pseudonym.text.utf8))
        } catch {
            throw .undecryptable(pseudonym)
        }
        let result = clear.withUnsafeBytes { raw in
            Result { () throws(ByteDecodingError) -> (String, String, String?, Int64) in
                var r = ByteReader(raw)
                guard try r.u8() == version else { throw ByteDecodingError("unknown contact version") }
                return (try r.string(), try r.string(), try r.optionalString(), try r.i64())
            }
        }
        guard case .success(let (name, mobile, idNumber, added)) = result,
              let details = try? ContactDetails(name: name, mobile: try MobileNumber(mobile),
                                                idNumber: try idNumber.map { text throws(VaultError) in try IDCardNumber(text) })
        else { throw .undecryptable(pseudonym) }
        return StoredContact(pseudonym: pseudonym, details: details, addedAt: Timestamp(milliseconds: added))
    }
}

/// A contact as the vault returns it.
public struct StoredContact: Sendable, Hashable {
    public let pseudonym: Pseudonym
    public let details: ContactDetails
    public let addedAt: Timestamp
}

/// What remains of an erased contact: when, by whom and why. No personal data.
public struct Erasure: Sendable, Hashable {
    public let pseudonym: Pseudonym
    public let at: Timestamp
    public let actor: String
    public let reason: String
}
