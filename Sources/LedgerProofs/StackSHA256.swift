internal import CCryptoBoringSSL

/// SHA-256 with its state on the stack: swift-crypto's own BoringSSL, called without the
/// hasher object `SHA256` allocates, copies and wipes for every hash. The log hashes each record
/// three times as it appends (chain, leaf, the nodes it completes), and for inputs this short
/// that per-hash overhead cost more than the hashing itself. `CCryptoBoringSSL` is the C module
/// swift-crypto's `Crypto` product is built on (the package names no product for it); the tests
/// check every hash here against `Crypto.SHA256`.
struct StackSHA256 {
    private var context = SHA256_CTX()

    init() {
        CCryptoBoringSSL_SHA256_Init(&context)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        CCryptoBoringSSL_SHA256_Update(&context, bytes.baseAddress, bytes.count)
    }

    mutating func update(byte: UInt8) {
        var byte = byte
        CCryptoBoringSSL_SHA256_Update(&context, &byte, 1)
    }

    mutating func finalize() -> TreeHash {
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { out in
            _ = CCryptoBoringSSL_SHA256_Final(out.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        }
        return withUnsafeBytes(of: &digest) { TreeHash(bytes: $0) }
    }
}

extension TreeHash {
    /// SHA-256 of `first` followed by `second`: one link of the log's hash chain (the previous
    /// link, then the record).
    public static func sha256(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TreeHash {
        var sha = StackSHA256()
        sha.update(first)
        sha.update(second)
        return sha.finalize()
    }
}
