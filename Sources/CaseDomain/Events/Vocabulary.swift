import Ledger

/// A closed list of words used in event data (channels, procedures, …). In JSON it is the raw
/// string; in stored payloads one byte, the word's `code`, written out below for every word (a
/// test pins them all): reordering or inserting a case changes no stored byte. A new word takes
/// a new code; a code is never reused.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable, Hashable
where AllCases == [Self] {
    /// The byte stored for this word.
    var code: UInt8 { get }
    /// The word stored as `code`, or nil for a code no word has.
    init?(code: UInt8)
}

extension Vocabulary {
    static func decode(_ r: inout ByteReader) throws(ByteDecodingError) -> Self {
        let code = try r.u8()
        guard let word = Self(code: code) else { throw ByteDecodingError("unknown \(Self.self) code \(code)") }
        return word
    }

    /// The words, for error messages: "window, pc, mobile".
    static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How the application came in (GB/T 39046 channel codes, plus the hall's self-service kiosks).
public enum Channel: String, Vocabulary {
    case window, pc, mobile, courier, selfService

    public var code: UInt8 {
        switch self {
        case .window: 0
        case .pc: 1
        case .mobile: 2
        case .courier: 3
        case .selfService: 4
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .window
        case 1: self = .pc
        case 2: self = .mobile
        case 3: self = .courier
        case 4: self = .selfService
        default: return nil
        }
    }
}

public enum ApplicantKind: String, Vocabulary {
    case person, enterprise

    public var code: UInt8 {
        switch self {
        case .person: 0
        case .enterprise: 1
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .person
        case 1: self = .enterprise
        default: return nil
        }
    }
}

/// 特别程序: the time they take does not count against the limit.
public enum Procedure: String, Vocabulary {
    case hearing, tender, auction, inspection, testing, quarantine, appraisal, expertReview, supplement, other

    public var code: UInt8 {
        switch self {
        case .hearing: 0
        case .tender: 1
        case .auction: 2
        case .inspection: 3
        case .testing: 4
        case .quarantine: 5
        case .appraisal: 6
        case .expertReview: 7
        case .supplement: 8
        case .other: 9
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .hearing
        case 1: self = .tender
        case 2: self = .auction
        case 3: self = .inspection
        case 4: self = .testing
        case 5: self = .quarantine
        case 6: self = .appraisal
        case 7: self = .expertReview
        case 8: self = .supplement
        case 9: self = .other
        default: return nil
        }
    }
}

/// How required materials were spared (减材料).
public enum ReductionMethod: String, Vocabulary {
    case eCertificate, dataSharing, waived

    public var code: UInt8 {
        switch self {
        case .eCertificate: 0
        case .dataSharing: 1
        case .waived: 2
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .eCertificate
        case 1: self = .dataSharing
        case 2: self = .waived
        default: return nil
        }
    }
}

public enum Step: String, Vocabulary {
    case handle, review, approve

    public var code: UInt8 {
        switch self {
        case .handle: 0
        case .review: 1
        case .approve: 2
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .handle
        case 1: self = .review
        case 2: self = .approve
        default: return nil
        }
    }
}

public enum DeliveryMethod: String, Vocabulary {
    case window, courier, electronic

    public var code: UInt8 {
        switch self {
        case .window: 0
        case .courier: 1
        case .electronic: 2
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .window
        case 1: self = .courier
        case 2: self = .electronic
        default: return nil
        }
    }
}

public enum ReviewChannel: String, Vocabulary {
    case hallTablet, pc, mobile, qrCode, sms, phone

    public var code: UInt8 {
        switch self {
        case .hallTablet: 0
        case .pc: 1
        case .mobile: 2
        case .qrCode: 3
        case .sms: 4
        case .phone: 5
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .hallTablet
        case 1: self = .pc
        case 2: self = .mobile
        case 3: self = .qrCode
        case 4: self = .sms
        case 5: self = .phone
        default: return nil
        }
    }
}

/// 区级 / 镇级 / 村级.
public enum ServiceLevel: String, Vocabulary {
    case district, town, village

    public var code: UInt8 {
        switch self {
        case .district: 0
        case .town: 1
        case .village: 2
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .district
        case 1: self = .town
        case 2: self = .village
        default: return nil
        }
    }
}

/// 即办件 (decided on the spot) or 承诺件 (decided within the promised limit).
public enum CaseType: String, Vocabulary {
    case immediate, promised

    public var code: UInt8 {
        switch self {
        case .immediate: 0
        case .promised: 1
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .immediate
        case 1: self = .promised
        default: return nil
        }
    }
}

/// Why the bureau appeals a bad review (申诉复核): the review is about another case, window or
/// agency, or given by mistake (误评); or it is malicious (恶意差评: abuse, extortion, a review
/// unrelated to the service).
public enum AppealGround: String, Vocabulary {
    case mistaken, malicious

    public var code: UInt8 {
        switch self {
        case .mistaken: 0
        case .malicious: 1
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 0: self = .mistaken
        case 1: self = .malicious
        default: return nil
        }
    }
}
