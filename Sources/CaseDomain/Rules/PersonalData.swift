/// Finds personal numbers in text the log would keep for ever: an 18-digit resident ID number
/// (居民身份证号码, the last character a digit or X, whatever its checksum) or an 11-digit
/// mainland mobile number (1[3-9] and nine more digits, also after +86). The log cannot forget,
/// so such text is refused before it is written; contacts live in the vault beside the log.
///
/// Digits are read in runs: ASCII or full-width digits, with single spaces or hyphens between
/// them (`138 0000 0000`, `110101-19900307-1234`). A run is looked at whole and each of its
/// unbroken pieces alone, so a number written inside other digits' company is still found; a
/// longer unbroken run (a 19-digit bank card, a 20-digit serial) is not one of these numbers.
public enum PersonalData {
    /// What a text was found to hold. The number itself is never kept or shown.
    public enum Kind: String, Sendable, Hashable {
        case residentID = "a resident ID number"
        case mobile = "a mobile number"
    }

    /// The first kind of personal number in `text`, or nil.
    public static func find(in text: String) -> Kind? {
        var run: [UInt8] = []          // the run's characters: digits, X, and the separators
        var glued = false              // the run touches an ASCII letter: part of a code, not a number
        var previousIsLetter = false
        var found: Kind?
        func flush(nextIsLetter: Bool) {
            let touching = nextIsLetter && run.last.map { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") } ?? false
            if found == nil, !run.isEmpty, !glued, !touching { found = classify(run) }
            run.removeAll(keepingCapacity: true)
            glued = false
        }
        for scalar in text.unicodeScalars {
            guard found == nil else { break }
            let c = normalized(scalar)
            let isLetter = scalar.isASCII && (("a" ... "z").contains(scalar) || ("A" ... "Z").contains(scalar))
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                if run.isEmpty { glued = previousIsLetter }
                if run.last == UInt8(ascii: "X") { glued = true }  // an X inside digits: a code
                run.append(c)
            case UInt8(ascii: "X"), UInt8(ascii: "x"):
                // A check digit ends a run of digits; any other X is a letter.
                if let last = run.last, isDigit(last) { run.append(UInt8(ascii: "X")) } else { flush(nextIsLetter: true) }
            case UInt8(ascii: " "), UInt8(ascii: "-"):
                if let last = run.last, isDigit(last) { run.append(c) } else { flush(nextIsLetter: false) }
            default:
                flush(nextIsLetter: isLetter)
            }
            previousIsLetter = isLetter || c == UInt8(ascii: "X") || c == UInt8(ascii: "x")
        }
        flush(nextIsLetter: false)
        return found
    }

    /// The first field of `fields` (name, text) holding a personal number, with what it holds.
    public static func first(in fields: [(name: String, text: String)]) -> (field: String, kind: Kind)? {
        for field in fields {
            if let kind = find(in: field.text) { return (field.name, kind) }
        }
        return nil
    }

    private static func classify(_ run: [UInt8]) -> Kind? {
        // Trailing separators belong to no number.
        var end = run.count
        while end > 0, !isDigit(run[end - 1]), run[end - 1] != UInt8(ascii: "X") { end -= 1 }
        let run = run[..<end]
        let whole = run.filter { isDigit($0) || $0 == UInt8(ascii: "X") }
        if let kind = kind(of: whole[...]) { return kind }
        for piece in run.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }) where piece.count < whole.count {
            if let kind = kind(of: piece) { return kind }
        }
        return nil
    }

    private static func kind(of digits: ArraySlice<UInt8>) -> Kind? {
        let checkDigitX = digits.last == UInt8(ascii: "X")
        let body = checkDigitX ? digits.dropLast() : digits
        guard body.allSatisfy(isDigit) else { return nil }
        if digits.count == 18 { return .residentID }
        if checkDigitX { return nil }
        if digits.count == 11, isMobile(digits) { return .mobile }
        if digits.count == 13, digits.first == UInt8(ascii: "8"), digits.dropFirst().first == UInt8(ascii: "6"),
           isMobile(digits.dropFirst(2)) { return .mobile }
        return nil
    }

    private static func isMobile(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 11, digits.first == UInt8(ascii: "1") else { return false }
        let second = digits[digits.startIndex + 1]
        return second >= UInt8(ascii: "3") && second <= UInt8(ascii: "9")
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// ASCII for the characters a number is written with (full-width forms included), else 0.
    private static func normalized(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0x30 ... 0x39, 0x58, 0x78, 0x20, 0x2D: UInt8(scalar.value)
        case 0xFF10 ... 0xFF19: UInt8(scalar.value - 0xFF10 + 0x30)
        case 0xFF38, 0xFF58: UInt8(ascii: "X")
        case 0x3000: UInt8(ascii: " ")  // the ideographic space
        case 0xFF0D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014: UInt8(ascii: "-")
        default: 0
        }
    }
}

extension EventData {
    /// The free text of this event and its applicant reference, each with its interchange field
    /// name: what the personal-data rule reads. Codes, ids and vocabulary words are not here.
    public var freeText: [(name: String, text: String)] {
        switch self {
        case .submitted(let s):
            var fields = [(name: "data.applicant.ref", text: s.applicant.ref)]
            if let partner = s.crossRegion { fields.append((name: "data.crossRegion", text: partner)) }
            return fields
        case .supplementRequested(let materials):
            return materials.enumerated().map { (name: "data.materials[\($0.offset)]", text: $0.element) }
        case .rejected(let reason), .denied(let reason), .withdrawn(let reason), .suspended(_, let reason):
            return [(name: "data.reason", text: reason)]
        case .rectified(let note), .feedbackGiven(let note): return [(name: "data.note", text: note)]
        case .appealed(_, let reason), .appealDecided(_, let reason): return [(name: "data.reason", text: reason)]
        case .stepCompleted(_, let opinion): return [(name: "data.opinion", text: opinion)]
        case .evaluated(let e): return e.comment.map { [(name: "data.comment", text: $0)] } ?? []
        case .assisted(let agent): return [(name: "data.agent", text: agent)]
        case .contactRead(let access), .contactErased(let access):
            return [(name: "data.applicant", text: access.applicant), (name: "data.reason", text: access.reason)]
        case .supplementReceived, .accepted, .materialsReduced, .resumed, .extended, .transferred, .visited,
             .approved, .delivered, .followedUp, .itemPublished, .itemRevised, .departmentGranted, .departmentGrantRevoked:
            return []
        }
    }
}
