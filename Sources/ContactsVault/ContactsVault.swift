import CaseDomain
import Crypto
import Foundation
import LMDB
import Ledger
import Synchronization

/// The applicants' contact data, beside the log and never in it: an LMDB environment in
/// `STORE/contacts` holding each contact sealed under the applicant's own key (see
/// ``SealedContact``), the keys one file each in `STORE/contacts/keys` (see `ApplicantKeys`), and
/// what is left of erased contacts. Every read of a contact is first recorded on the log's
/// access stream; erasing destroys the key, deletes the sealed record and leaves the log as it
/// was, so it keeps verifying. Open one per process and share it (LMDB's locks are per process).
///
/// ```swift
/// let vault = try ContactsVault(directory: store + "/contacts", ledger: ledger)
/// let added = try vault.add(details, key: districtKey, at: .now())
/// let found = try await vault.contact(of: added.pseudonym, readBy: .clerk("clerk-07", window: "W05"), reason: "回访")
/// ```
public final class ContactsVault: Sendable {
    public let ledger: CaseLedger
    let environment: Environment
    let keys: ApplicantKeys
    /// pseudonym → sealed contact.
    let contacts: Database<String, [UInt8]>
    /// pseudonym → erasure note (`i64` ms, actor, reason).
    let erasures: Database<String, [UInt8]>
    /// pseudonym → its case numbers (duplicates), indexed from the log's `submitted` events.
    let applicantCases: Database<String, String>
    /// "indexedThrough" → the last log seq the case index has stored a case for.
    let meta: Database<String, UInt64>
    /// The last log seq the case index has read, at least `meta`'s: reads append to the log, and
    /// checking them again for cases must not cost a commit each time.
    let indexedThrough = Mutex<UInt64>(0)

    /// Opens (creating if needed) the vault in `directory`, with the applicants' keys in
    /// `keysDirectory` (default `directory/keys`).
    public init(directory: String, keysDirectory: String? = nil, ledger: CaseLedger) throws {
        self.ledger = ledger
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw VaultError.keyFile(path: directory, reason: "cannot be created (\(String(cString: strerror(errno))))")
        }
        keys = try ApplicantKeys(directory: keysDirectory ?? directory + "/keys")
        environment = try Environment(path: directory, configuration: .init(mapSize: 16 << 20, maxDatabases: 8))
        (contacts, erasures, applicantCases, meta) = try environment.write { txn in
            (try txn.openDatabase("contacts"), try txn.openDatabase("erasures"),
             try txn.openDatabase("applicantCases", flags: [.dupSort]), try txn.openDatabase("meta"))
        }
    }

    // MARK: Adding

    /// The outcome of ``add(_:key:at:)``.
    public struct Added: Sendable, Hashable {
        public let pseudonym: Pseudonym
        /// True when the applicant was in the vault already and their contact was replaced.
        public let replaced: Bool
    }

    /// Seals `details` under the applicant's key (a new one for a new applicant) and stores it.
    /// An applicant whose contact was erased may be added again (a new visit, new consent): they
    /// get a new key, and the log keeps the erasure on its access stream.
    public func add(_ details: ContactDetails, key pseudonymKey: PseudonymKey, at: Timestamp) throws -> Added {
        let pseudonym = Pseudonym(of: details, key: pseudonymKey)
        let existed = try environment.read { txn in try txn.contains(contacts, pseudonym.text) }
        let key = try keys.keyCreatingIfNeeded(for: pseudonym)
        let sealed = try SealedContact.seal(details, addedAt: at, for: pseudonym, key: key)
        try environment.write { txn in
            try txn.put(contacts, pseudonym.text, sealed)
            _ = try txn.delete(erasures, pseudonym.text)
        }
        return Added(pseudonym: pseudonym, replaced: existed)
    }

    // MARK: Reading

    /// What the vault holds for an applicant.
    public enum Lookup: Sendable, Hashable {
        case contact(StoredContact)
        case erased(Erasure)
    }

    /// Who reads a contact.
    public enum Reader: Sendable, Hashable {
        /// A clerk of a service window: reads only the contacts of applicants with a case
        /// at that window (the server's callers).
        case clerk(String, window: String)
        /// The store's custodian at its own machine (`ledger applicant show`), who holds the
        /// files and the keys anyway; the read is recorded all the same.
        case custodian(String)

        public var actor: String {
            switch self {
            case .clerk(let actor, _), .custodian(let actor): actor
            }
        }
    }

    /// The applicant's contact, after recording the read (who, when, why) on the log's access
    /// stream; or when and why it was erased (nothing personal is read, nothing recorded).
    /// - Throws: `VaultError.notPermitted` when a clerk's window holds none of the applicant's
    ///   cases (nothing recorded, nothing returned); `.unknownApplicant`, `.keyMissing`,
    ///   `.undecryptable`, `.invalidReason`; a `LedgerError` when the read could not be recorded,
    ///   in which case the contact is not returned.
    public func contact(of pseudonym: Pseudonym, readBy reader: Reader, reason: String,
                        at: Timestamp = .now()) async throws -> Lookup {
        guard !reason.isEmpty, reason.utf8.count <= 1000 else { throw VaultError.invalidReason }
        let (sealed, erasure) = try environment.read { txn in
            (try txn.get(contacts, pseudonym.text), try txn.get(erasures, pseudonym.text).map { try ErasureNote.decode($0, of: pseudonym) })
        }
        guard sealed != nil || erasure != nil else { throw VaultError.unknownApplicant(pseudonym) }
        if case .clerk(let actor, let window) = reader, !(try self.window(window, holdsCaseOf: pseudonym)) {
            throw VaultError.notPermitted(actor: actor, window: window)
        }
        if let erasure { return .erased(erasure) }
        guard let sealed else { throw VaultError.unknownApplicant(pseudonym) }
        guard let key = try keys.key(of: pseudonym) else { throw VaultError.keyMissing(pseudonym) }
        let contact = try SealedContact.open(sealed, of: pseudonym, key: key)
        try await ledger.recordAccess(.contactRead(ContactAccess(applicant: pseudonym.text, reason: reason)),
                                      at: at, actor: reader.actor)
        return .contact(contact)
    }

    /// When, by whom and why the applicant's contact was erased, or nil.
    public func erasure(of pseudonym: Pseudonym) throws -> Erasure? {
        try environment.read { txn in
            try txn.get(erasures, pseudonym.text).map { try ErasureNote.decode($0, of: pseudonym) }
        }
    }

    /// Whether the applicant is in the vault (with a contact, or erased).
    public func knows(_ pseudonym: Pseudonym) throws -> Bool {
        try environment.read { txn in
            try txn.contains(contacts, pseudonym.text) || txn.contains(erasures, pseudonym.text)
        }
    }

    // MARK: Erasing

    /// Erases the applicant's contact: records the erasure on the log's access stream, destroys
    /// the applicant's key (overwritten, synced, unlinked) and deletes the sealed record, keeping
    /// only when, by whom and why. Run again after an interruption, it finishes the job.
    /// - Throws: `VaultError.alreadyErased`, `.unknownApplicant`, `.invalidReason`.
    @discardableResult
    public func erase(_ pseudonym: Pseudonym, by actor: String, reason: String, at: Timestamp = .now()) async throws -> Erasure {
        guard !reason.isEmpty, reason.utf8.count <= 1000 else { throw VaultError.invalidReason }
        let held = try environment.read { txn in
            (record: try txn.contains(contacts, pseudonym.text), erased: try txn.contains(erasures, pseudonym.text))
        }
        guard !held.erased else { throw VaultError.alreadyErased(pseudonym) }
        guard held.record else { throw VaultError.unknownApplicant(pseudonym) }
        try await ledger.recordAccess(.contactErased(ContactAccess(applicant: pseudonym.text, reason: reason)),
                                      at: at, actor: actor)
        try keys.destroy(of: pseudonym)
        let erasure = Erasure(pseudonym: pseudonym, at: at, actor: actor, reason: reason)
        try environment.write { txn in
            _ = try txn.delete(contacts, pseudonym.text)
            try txn.put(erasures, pseudonym.text, ErasureNote.encode(erasure))
        }
        return erasure
    }
}

/// The stored form of an ``Erasure``: `i64` milliseconds, actor, reason.
enum ErasureNote {
    static func encode(_ erasure: Erasure) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.i64(erasure.at.milliseconds)
        w.string(erasure.actor)
        w.string(erasure.reason)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], of pseudonym: Pseudonym) throws -> Erasure {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ByteDecodingError) -> Erasure in
                var r = ByteReader(raw)
                return Erasure(pseudonym: pseudonym, at: Timestamp(milliseconds: try r.i64()), actor: try r.string(), reason: try r.string())
            }
        }
        return try result.get()
    }
}
