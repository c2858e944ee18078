/// What went wrong in the contacts vault. Messages are one line and never contain a name, a
/// mobile or an ID number: they end up in terminals, logs and HTTP responses.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case invalidMobile
    case invalidIDNumber(String)
    case invalidPseudonym
    case unknownApplicant(Pseudonym)
    case alreadyErased(Pseudonym)
    /// The record is there but its key is not: the key was lost, or an erase was interrupted.
    case keyMissing(Pseudonym)
    /// The record does not decrypt under its key: the files were altered or mixed up.
    case undecryptable(Pseudonym)
    case keyFile(path: String, reason: String)
    case notPermitted(actor: String, window: String)
    case invalidReason

    public var description: String {
        switch self {
        case .invalidName(let reason): "invalid name: \(reason)"
        case .invalidMobile: "invalid mobile number: expected 11 digits starting 13–19 (a mainland mobile)"
        case .invalidIDNumber(let reason): "invalid ID-card number: \(reason)"
        case .invalidPseudonym: "not a pseudonym: expected P- and 32 lowercase hex digits, as `ledger applicant add` prints"
        case .unknownApplicant(let p): "no contact for \(p) in the vault (add it with `ledger applicant add`)"
        case .alreadyErased(let p): "the contact of \(p) was already erased (`ledger applicant show \(p)` says when and why)"
        case .keyMissing(let p): "the key of \(p) is missing: restore the vault's keys directory, or finish an interrupted erase with `ledger applicant erase`"
        case .undecryptable(let p): "the contact of \(p) does not decrypt under its key: the vault's files were altered or mixed up"
        case let .keyFile(path, reason): "key file \(path): \(reason)"
        case let .notPermitted(actor, window): "\(actor) at window \(window) may not read this contact: none of the applicant's cases is at that window"
        case .invalidReason: "give a reason of 1 to 1000 bytes (--reason TEXT)"
        }
    }
}
