import Crypto
import Foundation

/// A checkpoint signed as a C2SP signed note:
///
/// ```
/// <origin>
/// <size>
/// <base64 root>
///
/// — <origin> <base64(key id (4 bytes) ‖ Ed25519 signature (64 bytes))>
/// ```
/// The signature covers the three body lines, their final newline included. The key id is the
/// first 4 bytes of SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ public key), 0x01 naming Ed25519.
public struct SignedCheckpoint: Hashable, Sendable {
    public var checkpoint: Checkpoint
    /// The whole note, as published.
    public var text: String

    private static let dash = "\u{2014} "

    /// Signs `checkpoint` with `key`.
    public init(signing checkpoint: Checkpoint, with key: LogSigningKey) throws(ProofFailure) {
        guard Checkpoint.isValidOrigin(checkpoint.origin) else {
            throw .malformedCheckpoint("the origin \"\(shown(checkpoint.origin, 60))\" is empty or has spaces or '+'")
        }
        let body = checkpoint.body
        let signature: [UInt8]
        do { signature = Array(try key.privateKey.signature(for: Array(body.utf8))) } catch {
            throw .malformedCheckpoint("signing failed: \(error)")
        }
        let keyID = LogPublicKey(key.privateKey.publicKey).keyID(name: checkpoint.origin)
        self.checkpoint = checkpoint
        text = body + "\n" + SignedCheckpoint.dash + checkpoint.origin + " " + Base64.encode(keyID + signature) + "\n"
    }

    /// Parses a signed checkpoint without checking its signature (the bureau reading back its own).
    public init(unverifiedText text: String) throws(ProofFailure) {
        guard let split = SignedCheckpoint.lastBlankLine(text) else {
            throw .malformedCheckpoint("no blank line between the checkpoint and its signature")
        }
        checkpoint = try Checkpoint(body: String(text[..<split.lowerBound]) + "\n")
        self.text = text
    }

    /// Parses a signed checkpoint and checks its signature by `publicKey` under the checkpoint's
    /// origin. Signature lines by other keys (witnesses, say) are ignored; one by this key must verify.
    public init(text: String, publicKey: LogPublicKey) throws(ProofFailure) {
        guard let split = SignedCheckpoint.lastBlankLine(text) else {
            throw .malformedCheckpoint("no blank line between the checkpoint and its signature")
        }
        let body = String(text[..<split.lowerBound]) + "\n"
        let checkpoint = try Checkpoint(body: body)
        let signatureLines = text[split.upperBound...]
        guard signatureLines.hasSuffix("\n") else { throw .malformedCheckpoint("the signature line must end in a newline") }
        let keyID = publicKey.keyID(name: checkpoint.origin)
        var verified = false
        for line in signatureLines.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(SignedCheckpoint.dash) else {
                throw .malformedCheckpoint("a signature line must start with an em dash and a space")
            }
            let fields = line.dropFirst(SignedCheckpoint.dash.count).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, let blob = Base64.decode(String(fields[1])), blob.count > 4 else {
                throw .malformedCheckpoint("a signature line must be \"— NAME BASE64\"")
            }
            guard fields[0] == checkpoint.origin, Array(blob.prefix(4)) == keyID else { continue }
            guard blob.count == 68, publicKey.key.isValidSignature(blob.dropFirst(4), for: Array(body.utf8)) else {
                throw .badSignature
            }
            verified = true
        }
        guard verified else { throw .noSignatureByKey(origin: checkpoint.origin) }
        self.checkpoint = checkpoint
        self.text = text
    }

    /// The last "\n\n" of the text (the end of the body's last line and the blank line), found in
    /// its UTF-8: Foundation's `range(of:options:)` copied the whole note into UTF-16 first, which
    /// cost a third of checking its signature.
    private static func lastBlankLine(_ text: String) -> Range<String.Index>? {
        var text = text
        let offset: Int? = text.withUTF8 { utf8 in
            var i = utf8.count - 1
            while i > 0 {
                if utf8[i] == 10 && utf8[i - 1] == 10 { return i - 1 }
                i -= 1
            }
            return nil
        }
        guard let offset else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return start ..< text.utf8.index(start, offsetBy: 2)
    }
}
