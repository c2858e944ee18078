import CaseDomain
import Foundation
import Ledger
import Testing

/// Stored payloads (binary, version 2) and interchange JSON of every event type.
@Suite("EventData binary and JSON coding")
struct EventDataCodingTests {
    static let item = CatalogItem(code: "LZH-Q-0042", name: "食品经营许可（新办）", department: "市场监管", level: .town,
                                  legalDays: 20, promisedDays: 5, caseType: .promised, onlineCapable: true, maxVisits: 1,
                                  crossProvince: true, metroCircle: false, themes: ["T-01", "T-17"])
    static let tricky = "说明：\"引号\" \\ 反斜杠\n第二行\t制表 \u{1} 控制 🙂"

    /// At least one sample per event type, with optional fields both present and absent.
    static let samples: [EventData] = [
        .submitted(Submission(item: "LZH-Q-0042", channel: .window, applicant: Applicant(kind: .person, ref: "P-7f3a"))),
        .submitted(Submission(item: "LZH-Q-0042", channel: .selfService, applicant: Applicant(kind: .enterprise, ref: "E-91"),
                              crossRegion: "鄂州")),
        .submitted(Submission(item: "LZH-Q-0042", channel: .pc, applicant: Applicant(kind: .enterprise, ref: "E-92"), theme: "T-17")),
        .supplementRequested(materials: ["营业执照", "身份证明", tricky]),
        .supplementReceived,
        .accepted(Acceptance(item: "LZH-Q-0042", window: "W07", legalDays: 20, promisedDays: 3,
                             deadline: CivilDate(iso: "2023-10-09")!)),
        .accepted(Acceptance(item: "LZH-Q-0042", window: "W07", legalDays: 0, promisedDays: 0,
                             deadline: CivilDate(iso: "1969-12-31")!)),
        .rejected(reason: tricky),
        .materialsReduced(count: 300, via: .dataSharing),
        .materialsReduced(count: 1, via: .eCertificate),
        .suspended(procedure: .expertReview, reason: "专家评审"),
        .suspended(procedure: .other, reason: "其他"),
        .resumed,
        .extended(days: 10),
        .transferred(toWindow: "W12"),
        .stepCompleted(step: .review, opinion: "同意"),
        .stepCompleted(step: .handle, opinion: ""),
        .visited,
        .assisted(agent: "帮办员-3"),
        .approved(certificate: Certificate(number: "JY-2023-000123", electronic: true)),
        .approved(certificate: Certificate(number: "JY-2023-000125", electronic: true, inLibrary: true)),
        .approved(certificate: Certificate(number: "JY-2023-000124", electronic: false)),
        .approved(certificate: nil),
        .denied(reason: "不符合条件"),
        .withdrawn(reason: "申请人撤回"),
        .delivered(method: .electronic),
        .delivered(method: .courier),
        .evaluated(Evaluation(level: 5, channel: .qrCode, comment: "排队太久")),
        .evaluated(Evaluation(level: 1, channel: .hallTablet)),
        .followedUp,
        .rectified(note: "增设窗口"),
        .feedbackGiven(note: tricky),
        .appealed(ground: .mistaken, reason: "评价人误选办件"),
        .appealed(ground: .malicious, reason: tricky),
        .appealDecided(excluded: true, reason: "经复核属恶意差评"),
        .appealDecided(excluded: false, reason: "维持差评"),
        .itemPublished(item),
        .itemRevised(CatalogItem(code: "LZH-V-0001", name: "村级事项", department: "民政", level: .village, legalDays: 0,
                                 promisedDays: 0, caseType: .immediate, onlineCapable: false, maxVisits: 0,
                                 crossProvince: false, metroCircle: true, themes: [])),
        .departmentGranted(DepartmentGrant(clerk: "clerk-06", department: "水务")),
        .departmentGrantRevoked(DepartmentGrant(clerk: "clerk-06", department: tricky)),
        .contactRead(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: "差评回访")),
        .contactErased(ContactAccess(applicant: "P-0123456789abcdef0123456789abcdef", reason: tricky)),
    ]

    static func decode(_ type: EventType, _ bytes: [UInt8]) throws -> EventData {
        try bytes.withUnsafeBytes { raw in try EventData(type: type, payload: raw) }
    }

    @Test func samplesCoverEveryEventType() {
        #expect(Set(Self.samples.map(\.type)) == Set(EventType.allCases))
    }

    @Test(arguments: samples)
    func binaryRoundTrip(_ data: EventData) throws {
        let bytes = data.encoded()
        #expect(bytes.first == EventData.payloadVersion)
        #expect(try Self.decode(data.type, bytes) == data)
    }

    @Test(arguments: samples)
    func jsonRoundTrip(_ data: EventData) throws {
        let id = UUID()
        let caseNumber = data.type.rawValue >= EventType.itemPublished.rawValue ? "CATALOG" : "LZH-2023-000001"
        let line = InterchangeEvent.line(id: id, caseNumber: caseNumber, type: data.type,
                                         at: at("2023-09-28T10:00:00.250+08:00"), actor: "clerk-07", data: data)
        #expect(!line.contains(10), "a line must not hold a raw newline")
        let parsed = try InterchangeEvent(line: line)
        #expect(parsed.request == EventRequest(data))
        #expect(parsed.id == id)
        #expect(parsed.caseNumber.rawValue == caseNumber)
        #expect(parsed.at == at("2023-09-28T02:00:00.25Z"))
        #expect(parsed.actor == "clerk-07")

        // writeJSON alone writes the `data` object that `EventData(type:json:)` reads back.
        var writer = JSONWriter()
        data.writeJSON(into: &writer)
        let value = try JSONValue(parsing: writer.bytes)
        #expect(try EventData(type: data.type, json: value) == data)
    }

    @Test(arguments: samples)
    func truncatedPayloadsThrow(_ data: EventData) {
        let bytes = data.encoded()
        for length in 0 ..< bytes.count {
            #expect(throws: ByteDecodingError.self, "\(data.type) cut to \(length) of \(bytes.count) bytes") {
                try Self.decode(data.type, Array(bytes.prefix(length)))
            }
        }
    }

    @Test(arguments: samples)
    func extraPayloadBytesThrow(_ data: EventData) {
        let error = #expect(throws: ByteDecodingError.self) { try Self.decode(data.type, data.encoded() + [0]) }
        #expect(error?.description.contains("1 unexpected bytes after the \(data.type) payload") == true)
    }

    @Test func unknownPayloadVersionThrows() {
        // Versions 1 and 2 are read; 3 is not written by anyone yet.
        var bytes = EventData.visited.encoded()
        bytes[0] = EventData.readablePayloadVersions.upperBound + 1
        let error = #expect(throws: ByteDecodingError.self) { try Self.decode(.visited, bytes) }
        #expect(error?.description.contains("unknown payload version 3") == true)
    }

    @Test func unknownVocabularyCodeAndBadBooleanThrow() {
        // delivered: version, method code; DeliveryMethod has 3 words.
        let delivered = #expect(throws: ByteDecodingError.self) { try Self.decode(.delivered, [1, 3]) }
        #expect(delivered?.description.contains("unknown DeliveryMethod code 3") == true)
        // approved: version, presence byte 2 is not a boolean.
        let approved = #expect(throws: ByteDecodingError.self) { try Self.decode(.approved, [1, 2]) }
        #expect(approved?.description.contains("bad boolean 2") == true)
    }

    /// The payload is read as the record's type says: another type's bytes do not pass silently.
    @Test func payloadOfAnotherTypeIsRefused() {
        let bytes = EventData.rejected(reason: "缺材料").encoded()
        #expect(throws: ByteDecodingError.self) { try Self.decode(.visited, bytes) }
        #expect(throws: ByteDecodingError.self) { try Self.decode(.extended, bytes) }
    }

    /// An `accepted` line may leave the limits and deadline to the ledger.
    @Test func acceptedLineWithoutLimits() throws {
        let line = #"{"case":"LZH-2023-000001","type":"accepted","at":"2023-09-28T10:00:00+08:00","actor":"clerk-07","data":{"item":"T-3","window":"W01"}}"#
        let parsed = try InterchangeEvent(line: Array(line.utf8))
        #expect(parsed.id == nil)
        #expect(parsed.request == acceptance("T-3"))
    }

    @Test func optionalFieldsMayBeNullOrAbsent() throws {
        let json = #"{"level":2,"channel":"sms","comment":null}"#
        let value = try JSONValue(parsing: Array(json.utf8))
        #expect(try EventData(type: .evaluated, json: value) == .evaluated(Evaluation(level: 2, channel: .sms)))
        #expect(try EventData(type: .visited, json: nil) == .visited)
        #expect(try EventData(type: .approved, json: .object([:])) == .approved(certificate: nil))
    }
}
