/// Standard base64 (RFC 4648 §4, with padding): what checkpoints and bundles use.
///
/// Written into and read from byte buffers directly, without an array a group or a second
/// pass: a case's bundle holds a few hundred of these (every path hash is one), and the
/// allocating form was most of the time spent writing a bundle and over a third of reading one.
public enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// The length of the base64 of `count` bytes.
    static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0), to: &out) }) == nil {
            Array(bytes).withUnsafeBytes { append($0, to: &out) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the base64 of `bytes` to `out`.
    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: encodedCount(bytes.count)) { text in
            encode(bytes, into: text)
            out.append(contentsOf: text)
        }
    }

    /// Writes the base64 of `input` into `out`, which holds exactly `encodedCount(input.count)` bytes.
    static func encode(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) {
        let table = alphabet.utf8Start
        var i = 0, o = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out[o] = table[Int(n >> 18 & 63)]
            out[o + 1] = table[Int(n >> 12 & 63)]
            out[o + 2] = table[Int(n >> 6 & 63)]
            out[o + 3] = table[Int(n & 63)]
            i += 3
            o += 4
        }
        let rest = input.count - i
        if rest > 0 {
            let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            out[o] = table[Int(n >> 18 & 63)]
            out[o + 1] = table[Int(n >> 12 & 63)]
            out[o + 2] = rest == 2 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "=")
            out[o + 3] = UInt8(ascii: "=")
        }
    }

    /// Decodes padded standard base64; nil for anything else (no whitespace, no URL alphabet).
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes padded standard base64 from UTF-8 bytes; nil for anything else.
    static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let count = decodedCount(input) else { return nil }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            ok = decode(input, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = ok ? count : 0
        }
        return ok ? out : nil
    }

    /// How many bytes `input` decodes to, from its length and padding; nil when the length is
    /// not a multiple of 4 (what else is wrong is found by `decode(_:into:)`).
    static func decodedCount(_ input: UnsafeRawBufferPointer) -> Int? {
        guard input.count % 4 == 0 else { return nil }
        var count = input.count / 4 * 3
        if count > 0, input[input.count - 1] == UInt8(ascii: "=") {
            count -= input[input.count - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        return count
    }

    /// Decodes `input` into `out`, which holds exactly `decodedCount(input)` bytes. False when
    /// `input` is not canonical padded base64: a byte outside the alphabet, padding anywhere but
    /// at the end, or unused bits of the last group that are not zero (so one byte string has
    /// exactly one accepted text).
    static func decode(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        digitValues.withUnsafeBufferPointer { values in
            var i = 0, o = 0
            while i < input.count {
                let last = i + 4 == input.count
                let a = UInt32(values[Int(input[i])]), b = UInt32(values[Int(input[i + 1])])
                let c = input[i + 2], d = input[i + 3]
                let cv = UInt32(values[Int(c)]), dv = UInt32(values[Int(d)])
                guard a | b < 64 else { return false }
                if last && c == UInt8(ascii: "=") {
                    // One byte: "xx==", the low 4 bits of the second digit unused.
                    guard d == UInt8(ascii: "="), b & 15 == 0, out.count == o + 1 else { return false }
                    out[o] = UInt8(a << 2 | b >> 4)
                    return true
                }
                guard cv < 64 else { return false }
                if last && d == UInt8(ascii: "=") {
                    // Two bytes: "xxx=", the low 2 bits of the third digit unused.
                    guard cv & 3 == 0, out.count == o + 2 else { return false }
                    out[o] = UInt8(a << 2 | b >> 4)
                    out[o + 1] = UInt8((b & 15) << 4 | cv >> 2)
                    return true
                }
                guard dv < 64, out.count >= o + 3 else { return false }
                let n = a << 18 | b << 12 | cv << 6 | dv
                out[o] = UInt8(truncatingIfNeeded: n >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: n)
                i += 4
                o += 3
            }
            return o == out.count
        }
    }

    /// Each byte's 6-bit value as a base64 digit, 0xFF for bytes that are not one ('=' included).
    private static let digitValues: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.withUTF8Buffer({ Array($0) }).enumerated() { values[Int(c)] = UInt8(i) }
        return values
    }()
}
