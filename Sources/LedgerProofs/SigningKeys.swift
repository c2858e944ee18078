import Crypto

/// The log's Ed25519 signing key. On disk (`PREFIX.key`): one line, `ed25519-private:` and the
/// base64 of the 32-byte seed. It lives outside the store; the store never needs it.
public struct LogSigningKey: Sendable {
    /// The 32-byte seed (kept as bytes: the Crypto key type is not `Sendable`).
    private let seed: [UInt8]

    public init() { seed = Array(Curve25519.Signing.PrivateKey().rawRepresentation) }

    public var privateKey: Curve25519.Signing.PrivateKey {
        // The seed was validated when this value was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    public var publicKey: LogPublicKey { LogPublicKey(privateKey.publicKey) }

    static let prefix = "ed25519-private:"

    /// The key file's text.
    public var fileText: String { LogSigningKey.prefix + Base64.encode(seed) + "\n" }

    /// Parses a key file's text.
    public init(fileText: String) throws(ProofFailure) {
        let line = fileText.hasSuffix("\n") ? String(fileText.dropLast()) : fileText
        guard line.hasPrefix(LogSigningKey.prefix), let seed = Base64.decode(String(line.dropFirst(LogSigningKey.prefix.count))),
              (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) != nil
        else { throw .malformedKey("expected one line \"\(LogSigningKey.prefix)\" and the base64 of a 32-byte Ed25519 seed") }
        self.seed = seed
    }
}

/// The log's Ed25519 public key, which auditors keep. On disk (`PREFIX.pub`): one line,
/// `ed25519:` and the base64 of the 32-byte key.
public struct LogPublicKey: Sendable, Equatable {
    /// The 32 key bytes (kept as bytes: the Crypto key type is not `Sendable`).
    public let raw: [UInt8]

    public init(_ key: Curve25519.Signing.PublicKey) { raw = Array(key.rawRepresentation) }

    public var key: Curve25519.Signing.PublicKey {
        // The bytes were validated when this value was made.
        try! Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    static let prefix = "ed25519:"

    public var fileText: String { LogPublicKey.prefix + Base64.encode(raw) + "\n" }

    public init(fileText: String) throws(ProofFailure) {
        let line = fileText.hasSuffix("\n") ? String(fileText.dropLast()) : fileText
        guard line.hasPrefix(LogPublicKey.prefix), let raw = Base64.decode(String(line.dropFirst(LogPublicKey.prefix.count))),
              (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
        else { throw .malformedKey("expected one line \"\(LogPublicKey.prefix)\" and the base64 of a 32-byte Ed25519 public key") }
        self.raw = raw
    }

    /// The signed-note key id: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..<4].
    public func keyID(name: String) -> [UInt8] {
        var input = Array(name.utf8)
        input.append(0x0A)
        input.append(0x01)
        input.append(contentsOf: raw)
        return Array(SHA256.hash(data: input).prefix(4))
    }
}
