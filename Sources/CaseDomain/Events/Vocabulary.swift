import Ledger

/// A closed list of words used in event data (channels, procedures, …). In JSON it is the raw
/// string; in stored payloads one byte, its index in `allCases` — so new words are only ever
/// appended at the end of a list, never inserted or reordered.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable, Hashable
where AllCases == [Self] {}

extension Vocabulary {
    var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }

    static func decode(_ r: inout ByteReader) throws(ByteDecodingError) -> Self {
        let code = Int(try r.u8())
        guard code < allCases.count else { throw ByteDecodingError("unknown \(Self.self) code \(code)") }
        return allCases[code]
    }

    /// The words, for error messages: "window, pc, mobile".
    static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How the application came in (GB/T 39046 channel codes, plus the hall's self-service kiosks).
public enum Channel: String, Vocabulary { case window, pc, mobile, courier, selfService }
public enum ApplicantKind: String, Vocabulary { case person, enterprise }
/// 特别程序: the time they take does not count against the limit.
public enum Procedure: String, Vocabulary {
    case hearing, tender, auction, inspection, testing, quarantine, appraisal, expertReview, supplement, other
}
/// How required materials were spared (减材料).
public enum ReductionMethod: String, Vocabulary { case eCertificate, dataSharing, waived }
public enum Step: String, Vocabulary { case handle, review, approve }
public enum DeliveryMethod: String, Vocabulary { case window, courier, electronic }
public enum ReviewChannel: String, Vocabulary { case hallTablet, pc, mobile, qrCode, sms, phone }
/// 区级 / 镇级 / 村级.
public enum ServiceLevel: String, Vocabulary { case district, town, village }
/// 即办件 (decided on the spot) or 承诺件 (decided within the promised limit).
public enum CaseType: String, Vocabulary { case immediate, promised }
