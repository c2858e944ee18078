import CaseDomain
import Foundation
import Ledger
import Testing

/// The 一件事 theme of a submission and the certificate library flag of an approval: stored in
/// payload version 2, read from version 1 payloads written before them, and checked by the rules.
@Suite("Themes and the certificate library")
struct ThemeAndLibraryTests {
    static func decode(_ type: EventType, _ bytes: [UInt8]) throws -> EventData {
        try bytes.withUnsafeBytes { raw in try EventData(type: type, payload: raw) }
    }

    /// A varint-length UTF-8 string as the payloads store it (short strings: one length byte).
    static func string(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + Array(s.utf8) }

    @Test("a version 1 submitted payload (no theme) still decodes, with no theme")
    func versionOneSubmitted() throws {
        // version 1, item, channel window (0), person (0), ref, crossRegion present "鄂州"
        let bytes: [UInt8] = [1] + Self.string("LZH-Q-0042") + [0, 0] + Self.string("P-7f3a") + [1] + Self.string("鄂州")
        let data = try Self.decode(.submitted, bytes)
        #expect(data == .submitted(Submission(item: "LZH-Q-0042", channel: .window, applicant: Applicant(kind: .person, ref: "P-7f3a"),
                                              crossRegion: "鄂州")))
        let fields = try bytes.withUnsafeBytes { try PayloadFields.submitted($0) }
        #expect(fields.crossRegion && fields.theme.isEmpty)
        // A version 1 payload with a theme's bytes after it is not a version 1 payload.
        #expect(throws: ByteDecodingError.self) { try Self.decode(.submitted, bytes + [1] + Self.string("T01")) }
    }

    @Test("a version 1 approved payload still decodes, its certificate not in the library")
    func versionOneApproved() throws {
        let bytes: [UInt8] = [1, 1] + Self.string("JY-1") + [1]
        #expect(try Self.decode(.approved, bytes) == .approved(certificate: Certificate(number: "JY-1", electronic: true)))
        let fields = try bytes.withUnsafeBytes { try PayloadFields.approved($0) }
        #expect(fields.certificate && fields.electronic && !fields.inLibrary)
    }

    @Test("version 2 payloads carry the theme and the library flag, and the field readers see them")
    func versionTwoFields() throws {
        let submitted = EventData.submitted(Submission(item: "T-3", channel: .mobile, applicant: Applicant(kind: .person, ref: "P-1"),
                                                       crossRegion: nil, theme: "T05")).encoded()
        #expect(submitted.first == 2)
        let fields = try submitted.withUnsafeBytes { try PayloadFields.submitted($0) }
        #expect(fields.theme == "T05" && !fields.crossRegion && fields.channel == .mobile)
        let approved = EventData.approved(certificate: Certificate(number: "JY-2", electronic: true, inLibrary: true)).encoded()
        let flags = try approved.withUnsafeBytes { try PayloadFields.approved($0) }
        #expect(flags.certificate && flags.electronic && flags.inLibrary)
        #expect(throws: ByteDecodingError.self) { try Self.decode(.visited, [3]) }
    }

    @Test("JSON refuses a paper certificate in the library")
    func paperCertificateInLibraryRefused() throws {
        let json = #"{"certificate":{"number":"JY-3","electronic":false,"inLibrary":true}}"#
        #expect(throws: DataError.self) { try EventData(type: .approved, json: try JSONValue(parsing: Array(json.utf8))) }
    }

    static func rules() throws -> CaseRules {
        var catalog = Catalog()
        catalog.apply(.itemPublished(DomainFixtures.item("T-3", legal: 20, promised: 3, themes: ["T01", "T02"])))
        catalog.apply(.itemPublished(DomainFixtures.item("T-0", legal: 5, promised: 0)))
        return CaseRules(catalog: catalog, calendar: try CalendarFixtures.calendar())
    }

    static func submission(_ item: String, theme: String?) -> EventData {
        .submitted(Submission(item: item, channel: .window, applicant: Applicant(kind: .person, ref: "P-1"), theme: theme))
    }

    @Test("a submission may name one of its item's themes, and no other")
    func themeMustBeTheItems() throws {
        let rules = try Self.rules()
        let file = CaseFile(caseNumber: caseNo("LZH-2023-000001"))
        let time = at("2023-10-10T09:00:00+08:00")
        #expect(try rules.admit(EventRequest(Self.submission("T-3", theme: "T02")), at: time, to: file) == Self.submission("T-3", theme: "T02"))
        #expect(throws: RuleViolation.self) { try rules.admit(EventRequest(Self.submission("T-3", theme: "T09")), at: time, to: file) }
        do {
            _ = try rules.admit(EventRequest(Self.submission("T-0", theme: "T01")), at: time, to: file)
            Issue.record("a theme of an item in no theme was admitted")
        } catch {
            #expect(error.description.contains("not part of the 一件事 theme T01"))
        }
    }

    @Test("an approval may put only an electronic certificate into the library")
    func libraryNeedsElectronic() throws {
        var story = try CaseStory([.submitted(Submission(item: "T-3", channel: .window, applicant: Applicant(kind: .person, ref: "P-1")))])
        try story.record(acceptance("T-3"))
        #expect(throws: RuleViolation.self) {
            try story.record(.approved(certificate: Certificate(number: "JY-4", electronic: false, inLibrary: true)))
        }
        try story.record(.approved(certificate: Certificate(number: "JY-4", electronic: true, inLibrary: true)))
    }
}
