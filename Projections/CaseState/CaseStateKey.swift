import CaseDomain

/// Key encodings of the `caseState` indexes. A deadline is 4 big-endian bytes of its day number
/// with the sign bit flipped, so LMDB's byte order is date order (dates before 1970 included).
/// Window ids are assumed not to contain a 0x00 byte (it ends the window part of a queue key).
enum CaseStateKey {
    /// `window ‖ 0x00 ‖ deadline ‖ case`: a case in its window's queue.
    static func windowQueue(window: String, deadline: CivilDate, caseNumber: String) -> [UInt8] {
        var key = windowPrefix(window)
        key.reserveCapacity(key.count + 4 + caseNumber.utf8.count)
        appendDay(deadline, to: &key)
        key.append(contentsOf: caseNumber.utf8)
        return key
    }

    /// `window ‖ 0x00`: where a window's queue starts.
    static func windowPrefix(_ window: String) -> [UInt8] {
        var key = Array(window.utf8)
        key.append(0)
        return key
    }

    /// `window ‖ 0x00 ‖ deadline`: the first queue key of `window` with a deadline ≥ `day`.
    static func windowPrefix(_ window: String, from day: CivilDate) -> [UInt8] {
        var key = windowPrefix(window)
        appendDay(day, to: &key)
        return key
    }

    /// `deadline ‖ case`: a case in the deadline index.
    static func due(deadline: CivilDate, caseNumber: String) -> [UInt8] {
        var key = dayBytes(deadline)
        key.append(contentsOf: caseNumber.utf8)
        return key
    }

    static func dayBytes(_ day: CivilDate) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        appendDay(day, to: &bytes)
        return bytes
    }

    static func appendDay(_ day: CivilDate, to bytes: inout [UInt8]) {
        let value = UInt32(bitPattern: day.dayNumber) ^ 0x8000_0000
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// The deadline stored at `offset` of a key.
    static func day(in key: UnsafeRawBufferPointer, at offset: Int) -> CivilDate {
        var value: UInt32 = 0
        for i in 0 ..< 4 { value = value << 8 | UInt32(key[offset + i]) }
        return CivilDate(dayNumber: Int32(bitPattern: value ^ 0x8000_0000))
    }

    /// The case number after the deadline at `offset` of a key.
    static func caseNumber(in key: UnsafeRawBufferPointer, after offset: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: key[(offset + 4)...]), as: UTF8.self)
    }
}
