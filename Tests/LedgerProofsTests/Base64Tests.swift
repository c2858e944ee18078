import Foundation
import LedgerProofs
import Testing

/// Checkpoints, keys and bundles carry base64; it is written and read without Foundation, so it
/// is checked against Foundation here, and only the one canonical text of each byte string is read.
@Suite("Base64 as checkpoints and bundles write it")
struct Base64Tests {
    @Test("every length 0…100 writes what Foundation writes and reads back")
    func roundTrips() {
        var rng = SystemRandomNumberGenerator()
        for count in 0 ... 100 {
            let bytes = (0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString(), "\(count) bytes")
            #expect(Base64.decode(text) == bytes, "\(count) bytes")
        }
    }

    @Test("a hash reads from its 44 characters and writes them back")
    func hashes() {
        for seed in 0 ..< 50 {
            let bytes = (0 ..< 32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ seed) }
            let hash = TreeHash(bytes)!
            #expect(hash.base64 == Data(bytes).base64EncodedString())
            #expect(TreeHash(base64: hash.base64) == hash)
        }
        #expect(TreeHash(base64: Base64.encode([UInt8](repeating: 7, count: 31))) == nil)
        #expect(TreeHash(base64: Base64.encode([UInt8](repeating: 7, count: 33))) == nil)
    }

    @Test("anything but canonical padded base64 is refused", arguments: [
        "A", "AA", "AAA", "AAAAA", "A===", "====", "AA=A", "=AAA", "AAAA====", "AA==AAAA",
        "AB==", "AAB=", "AA-_", "AA A", "AAA\n", "AAÄA", "AA==\n",
    ])
    func refused(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("the last group's unused bits must be zero")
    func unusedBits() {
        #expect(Base64.decode("AA==") == [0])
        #expect(Base64.decode("AAA=") == [0, 0])
        for digit in Array("BCDEFGHIJKLMNOP".utf8) { #expect(Base64.decode(String(decoding: [65, digit, 61, 61], as: UTF8.self)) == nil) }
        for digit in Array("BCD".utf8) { #expect(Base64.decode(String(decoding: [65, 65, digit, 61], as: UTF8.self)) == nil) }
        #expect(Base64.decode("AQ==") == [1])
        #expect(Base64.decode("AAE=") == [0, 1])
    }
}
