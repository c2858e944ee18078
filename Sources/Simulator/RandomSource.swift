/// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed state words.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman, Vigna 2018), seeded through SplitMix64. The simulator's only source
/// of randomness, so a seed fixes every byte of the output on every platform and process.
struct RandomSource: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        s0 = mix.next()
        s1 = mix.next()
        s2 = mix.next()
        s3 = mix.next()
    }

    /// An independent stream for one part of the simulation (one case, one purpose).
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D)
    }

    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }

    /// Uniform in [0, 1), 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0 ..< n (n > 0), by multiply-high (Lemire); the bias is below 2⁻⁵⁰ here.
    mutating func below(_ n: Int) -> Int { Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high) }

    /// Uniform in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    /// Hex digits of 48 random bits, for pseudonyms.
    mutating func hex12() -> String {
        let digits = Array("0123456789abcdef".utf8)
        let value = next()
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0 ..< 12 { bytes[i] = digits[Int((value >> (4 * UInt64(11 - i))) & 15)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UInt64 {
    @inline(__always) func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

/// Picks an index with probability proportional to its weight (cumulative table, binary search).
struct WeightedChoice: Sendable {
    private let cumulative: [Double]

    /// - Precondition: at least one positive weight.
    init(_ weights: [Double]) {
        var total = 0.0
        cumulative = weights.map { total += max(0, $0); return total }
        precondition(total > 0, "weights must not all be zero")
    }

    func pick(_ rng: inout RandomSource) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
