import Foundation
import Ledger

/// Stored payload encoding, version 2: one byte `2`, then the type's fields in the order below
/// (varints for counts and days, varint-length UTF-8 strings, one byte per vocabulary word).
/// Decoding dispatches on the record's event type, so the payload carries no type tag.
/// Version 1 payloads (no theme on `submitted`, no library flag on `approved`) are still read.
extension EventData {
    public static let payloadVersion: UInt8 = 2
    /// Every payload version this code reads.
    public static let readablePayloadVersions: ClosedRange<UInt8> = 1 ... 2

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 96)
        w.u8(EventData.payloadVersion)
        switch self {
        case .submitted(let s):
            w.string(s.item)
            w.u8(s.channel.code)
            w.u8(s.applicant.kind.code)
            w.string(s.applicant.ref)
            w.optionalString(s.crossRegion)
            w.optionalString(s.theme)
        case .supplementRequested(let materials):
            w.strings(materials)
        case .supplementReceived, .resumed, .visited, .followedUp:
            break
        case .accepted(let a):
            w.string(a.item)
            w.string(a.window)
            w.varint(a.legalDays)
            w.varint(a.promisedDays)
            w.u32(UInt32(bitPattern: a.deadline.dayNumber))
        case .rejected(let text), .denied(let text), .withdrawn(let text), .rectified(let text),
             .transferred(let text), .assisted(let text), .feedbackGiven(let text):
            w.string(text)
        case let .appealed(ground, reason):
            w.u8(ground.code)
            w.string(reason)
        case let .appealDecided(excluded, reason):
            w.bool(excluded)
            w.string(reason)
        case let .materialsReduced(count, via):
            w.varint(count)
            w.u8(via.code)
        case let .suspended(procedure, reason):
            w.u8(procedure.code)
            w.string(reason)
        case .extended(let days):
            w.varint(days)
        case let .stepCompleted(step, opinion):
            w.u8(step.code)
            w.string(opinion)
        case .approved(let certificate):
            w.bool(certificate != nil)
            if let certificate {
                w.string(certificate.number)
                w.bool(certificate.electronic)
                w.bool(certificate.inLibrary)
            }
        case .delivered(let method):
            w.u8(method.code)
        case .evaluated(let e):
            w.u8(UInt8(e.level))
            w.u8(e.channel.code)
            w.optionalString(e.comment)
        case .itemPublished(let item), .itemRevised(let item):
            w.string(item.code)
            w.string(item.name)
            w.string(item.department)
            w.u8(item.level.code)
            w.varint(item.legalDays)
            w.varint(item.promisedDays)
            w.u8(item.caseType.code)
            w.bool(item.onlineCapable)
            w.varint(item.maxVisits)
            w.bool(item.crossProvince)
            w.bool(item.metroCircle)
            w.strings(item.themes)
        case .contactRead(let access), .contactErased(let access):
            access.encode(into: &w)
        case .departmentGranted(let grant), .departmentGrantRevoked(let grant):
            grant.encode(into: &w)
        }
        return w.bytes
    }

    /// Checks that `payload` is a complete, decodable payload of `type` (the store's codec asks
    /// this before every append). It is the decoder itself, so the two cannot disagree.
    static func check(type: EventType, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        _ = try EventData(type: type, payload: payload)
    }

    /// Decodes a stored payload of an event of `type`.
    public init(type: EventType, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        var r = ByteReader(payload)
        let version = try r.u8()
        guard EventData.readablePayloadVersions.contains(version) else { throw ByteDecodingError("unknown payload version \(version)") }
        switch type {
        case .submitted:
            let item = try r.string()
            let channel = try Channel.decode(&r)
            let kind = try ApplicantKind.decode(&r)
            let applicant = Applicant(kind: kind, ref: try r.string())
            let crossRegion = try r.optionalString()
            let theme = try version >= 2 ? r.optionalString() : nil
            self = .submitted(Submission(item: item, channel: channel, applicant: applicant, crossRegion: crossRegion, theme: theme))
        case .supplementRequested: self = .supplementRequested(materials: try r.strings())
        case .supplementReceived: self = .supplementReceived
        case .accepted:
            self = .accepted(Acceptance(item: try r.string(), window: try r.string(), legalDays: try r.int(),
                                        promisedDays: try r.int(), deadline: CivilDate(dayNumber: Int32(bitPattern: try r.u32()))))
        case .rejected: self = .rejected(reason: try r.string())
        case .materialsReduced: self = .materialsReduced(count: try r.int(), via: try ReductionMethod.decode(&r))
        case .suspended: self = .suspended(procedure: try Procedure.decode(&r), reason: try r.string())
        case .resumed: self = .resumed
        case .extended: self = .extended(days: try r.int())
        case .transferred: self = .transferred(toWindow: try r.string())
        case .stepCompleted: self = .stepCompleted(step: try Step.decode(&r), opinion: try r.string())
        case .visited: self = .visited
        case .assisted: self = .assisted(agent: try r.string())
        case .approved:
            if try r.bool() {
                let number = try r.string(), electronic = try r.bool()
                let inLibrary = try version >= 2 ? r.bool() : false
                self = .approved(certificate: Certificate(number: number, electronic: electronic, inLibrary: inLibrary))
            } else {
                self = .approved(certificate: nil)
            }
        case .denied: self = .denied(reason: try r.string())
        case .withdrawn: self = .withdrawn(reason: try r.string())
        case .delivered: self = .delivered(method: try DeliveryMethod.decode(&r))
        case .evaluated:
            self = .evaluated(Evaluation(level: Int(try r.u8()), channel: try ReviewChannel.decode(&r),
                                         comment: try r.optionalString()))
        case .followedUp: self = .followedUp
        case .rectified: self = .rectified(note: try r.string())
        case .feedbackGiven: self = .feedbackGiven(note: try r.string())
        case .appealed: self = .appealed(ground: try AppealGround.decode(&r), reason: try r.string())
        case .appealDecided: self = .appealDecided(excluded: try r.bool(), reason: try r.string())
        case .itemPublished: self = .itemPublished(try CatalogItem.decode(&r))
        case .itemRevised: self = .itemRevised(try CatalogItem.decode(&r))
        case .contactRead: self = .contactRead(try ContactAccess.decode(&r))
        case .contactErased: self = .contactErased(try ContactAccess.decode(&r))
        case .departmentGranted: self = .departmentGranted(try DepartmentGrant.decode(&r))
        case .departmentGrantRevoked: self = .departmentGrantRevoked(try DepartmentGrant.decode(&r))
        }
        guard r.isAtEnd else { throw ByteDecodingError("\(r.remaining) unexpected bytes after the \(type) payload") }
    }
}

extension CatalogItem {
    static func decode(_ r: inout ByteReader) throws(ByteDecodingError) -> CatalogItem {
        CatalogItem(code: try r.string(), name: try r.string(), department: try r.string(),
                    level: try ServiceLevel.decode(&r), legalDays: try r.int(), promisedDays: try r.int(),
                    caseType: try CaseType.decode(&r), onlineCapable: try r.bool(), maxVisits: try r.int(),
                    crossProvince: try r.bool(), metroCircle: try r.bool(), themes: try r.strings())
    }
}

extension EventType {
    /// The type of a stored record; throws for a code the case domain does not know.
    init(stored code: EventTypeCode) throws(ByteDecodingError) {
        guard let type = EventType(code: code) else { throw ByteDecodingError("unknown event \(code)") }
        self = type
    }
}

extension EventView {
    /// The record's event type; throws for a code the case domain does not know.
    public var type: EventType {
        get throws(ByteDecodingError) { try EventType(stored: typeCode) }
    }

    /// The typed data of this record.
    public func data() throws(ByteDecodingError) -> EventData { try EventData(type: try type, payload: payload) }
}

extension RecordedEvent {
    /// The record's event type; throws for a code the case domain does not know.
    public var type: EventType {
        get throws(ByteDecodingError) { try EventType(stored: typeCode) }
    }

    /// The typed data of this record.
    public func data() throws(ByteDecodingError) -> EventData {
        let type = try self.type
        let result = payload.withUnsafeBytes { raw in Result { () throws(ByteDecodingError) in try EventData(type: type, payload: raw) } }
        return try result.get()
    }
}

extension NewEvent {
    /// An event of the case domain: its data encoded as the store keeps it.
    public init(id: UUID = .timeOrdered(), _ data: EventData, at: Timestamp, actor: String) {
        self.init(id: id, type: data.type.code, at: at, actor: actor, payload: data.encoded())
    }

    /// An event whose payload was encoded elsewhere (the store's codec checks it on append).
    public init(id: UUID = .timeOrdered(), type: EventType, at: Timestamp, actor: String, payload: [UInt8]) {
        self.init(id: id, type: type.code, at: at, actor: actor, payload: payload)
    }
}

/// Field readers over a stored payload: the views read a few fields of millions of events, so
/// these decode only what is asked for, borrow strings as bytes where a view only compares them,
/// and allocate nothing else. They sit beside `encoded()` and `init(type:payload:)`, the one
/// description of the payload layout, and check the payload version as the decoder does.
public enum PayloadFields {
    /// `submitted`: the item code's bytes (borrowed), the channel, whether it is cross-region,
    /// and its 一件事 theme ("" when none).
    public static func submitted(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError)
        -> (item: UnsafeRawBufferPointer, channel: Channel, crossRegion: Bool, theme: String) {
        var (r, version) = try versionedReader(payload)
        let item = try r.bytes(try r.int())
        let channel = try Channel.decode(&r)
        _ = try ApplicantKind.decode(&r)
        _ = try r.bytes(try r.int())  // the applicant's pseudonym
        let crossRegion = try r.bool()
        if crossRegion { _ = try r.bytes(try r.int()) }
        let theme = try version >= 2 ? r.optionalString() : nil
        return (item, channel, crossRegion, theme ?? "")
    }

    /// `approved`: whether it carries a certificate, an electronic one, and one entered into
    /// the electronic certificate library (电子证照入库).
    public static func approved(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError)
        -> (certificate: Bool, electronic: Bool, inLibrary: Bool) {
        var (r, version) = try versionedReader(payload)
        guard try r.bool() else { return (false, false, false) }
        _ = try r.bytes(try r.int())  // the certificate's number
        let electronic = try r.bool()
        let inLibrary = try version >= 2 ? r.bool() : false
        return (true, electronic, inLibrary)
    }

    /// `accepted`: the item code's bytes (borrowed), the window and the snapshotted limits.
    public static func accepted(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError)
        -> (item: UnsafeRawBufferPointer, window: String, legalDays: Int, promisedDays: Int) {
        var r = try reader(payload)
        let item = try r.bytes(try r.int())
        return (item, try r.string(), try r.int(), try r.int())
    }

    /// `extended`: the days added to the limit.
    public static func extendedDays(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError) -> Int {
        var r = try reader(payload)
        return try r.int()
    }

    /// `transferred`: the window the case moved to.
    public static func transferredWindow(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError) -> String {
        var r = try reader(payload)
        return try r.string()
    }

    /// `evaluated`: the level, 1 (非常满意) … 5 (非常不满意).
    public static func evaluationLevel(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError) -> Int {
        var r = try reader(payload)
        return Int(try r.u8())
    }

    private static func reader(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError) -> ByteReader {
        try versionedReader(payload).reader
    }

    private static func versionedReader(_ payload: UnsafeRawBufferPointer) throws(ByteDecodingError) -> (reader: ByteReader, version: UInt8) {
        var r = ByteReader(payload)
        let version = try r.u8()
        guard EventData.readablePayloadVersions.contains(version) else { throw ByteDecodingError("unknown payload version \(version)") }
        return (r, version)
    }
}
