/// Seeded mutations of byte strings (SplitMix64: the same seed gives the same inputs, so a
/// failure found once can be replayed by its seed and iteration).
public struct Mutator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    /// Bytes a parser treats specially, inserted more often than chance would.
    private static let interesting: [UInt8] = Array(#"{}[]",:\-+.0123456789eEtrufalsn "#.utf8) + [0, 0x7f, 0x80, 0xc3, 0xe9, 0xff, 0x0a, 0x1b]
    /// Lengths and counts near the edges.
    private static let edgeValues: [UInt64] = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, 0xffff_ffff, UInt64.max, UInt64(Int64.max)]

    /// One to four random edits of `input`.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0 ... below(4) {
            switch below(9) {
            case 0 where !bytes.isEmpty: // flip bits of one byte
                bytes[below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
            case 1 where !bytes.isEmpty: // replace one byte
                bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 2: // insert a special byte
                bytes.insert(Mutator.interesting[below(Mutator.interesting.count)], at: below(bytes.count + 1))
            case 3 where !bytes.isEmpty: // delete a run
                let start = below(bytes.count)
                bytes.removeSubrange(start ..< min(bytes.count, start + 1 + below(16)))
            case 4: // truncate
                bytes.removeLast(below(bytes.count + 1))
            case 5 where bytes.count >= 8: // an edge value over 1, 2, 4 or 8 bytes (length fields)
                let width = [1, 2, 4, 8][below(4)]
                let at = below(bytes.count - width + 1)
                let value = Mutator.edgeValues[below(Mutator.edgeValues.count)]
                for i in 0 ..< width { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
            case 6 where !bytes.isEmpty: // duplicate a run
                let start = below(bytes.count)
                let run = bytes[start ..< min(bytes.count, start + 1 + below(32))]
                bytes.insert(contentsOf: run, at: below(bytes.count + 1))
            case 7: // random bytes
                bytes.insert(contentsOf: (0 ..< 1 + below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: below(bytes.count + 1))
            default: // deep nesting
                let depth = 1 + below(300)
                let at = below(bytes.count + 1)
                bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: below(2) == 0 ? "[" : "{"), count: depth), at: at)
            }
        }
        return bytes
    }
}
