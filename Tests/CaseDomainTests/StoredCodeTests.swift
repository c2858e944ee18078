import CaseDomain
import Ledger
import Testing

/// Every code the log stores, written out: reordering a declaration or inserting a word must not
/// change a stored byte, and a changed code fails here before it reaches a store.
@Suite("Stored codes are pinned")
struct StoredCodeTests {
    @Test("event type codes")
    func eventTypes() {
        let pinned: [EventType: UInt8] = [
            .submitted: 1, .supplementRequested: 2, .supplementReceived: 3, .accepted: 4, .rejected: 5,
            .materialsReduced: 6, .suspended: 7, .resumed: 8, .extended: 9, .transferred: 10, .stepCompleted: 11,
            .visited: 12, .assisted: 13, .approved: 14, .denied: 15, .withdrawn: 16, .delivered: 17, .evaluated: 18,
            .followedUp: 19, .rectified: 20, .feedbackGiven: 21, .appealed: 22, .appealDecided: 23, .itemPublished: 64, .itemRevised: 65,
            .departmentGranted: 80, .departmentGrantRevoked: 81, .contactRead: 96, .contactErased: 97,
        ]
        for type in EventType.allCases {
            #expect(type.code.rawValue == pinned[type], "\(type)")
            #expect(EventType(code: type.code) == type)
        }
        #expect(pinned.count == EventType.allCases.count)
    }

    @Test("vocabulary codes")
    func vocabularies() {
        expectPinned(["window": 0, "pc": 1, "mobile": 2, "courier": 3, "selfService": 4], Channel.self)
        expectPinned(["person": 0, "enterprise": 1], ApplicantKind.self)
        expectPinned(["hearing": 0, "tender": 1, "auction": 2, "inspection": 3, "testing": 4, "quarantine": 5,
                      "appraisal": 6, "expertReview": 7, "supplement": 8, "other": 9], Procedure.self)
        expectPinned(["eCertificate": 0, "dataSharing": 1, "waived": 2], ReductionMethod.self)
        expectPinned(["handle": 0, "review": 1, "approve": 2], Step.self)
        expectPinned(["window": 0, "courier": 1, "electronic": 2], DeliveryMethod.self)
        expectPinned(["hallTablet": 0, "pc": 1, "mobile": 2, "qrCode": 3, "sms": 4, "phone": 5], ReviewChannel.self)
        expectPinned(["district": 0, "town": 1, "village": 2], ServiceLevel.self)
        expectPinned(["immediate": 0, "promised": 1], CaseType.self)
        expectPinned(["mistaken": 0, "malicious": 1], AppealGround.self)
    }

    private func expectPinned<V: Vocabulary>(_ pinned: [String: UInt8], _ type: V.Type,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(V.allCases.map(\.rawValue)) == Set(pinned.keys), "\(V.self) words", sourceLocation: sourceLocation)
        for word in V.allCases {
            #expect(word.code == pinned[word.rawValue], "\(V.self).\(word.rawValue)", sourceLocation: sourceLocation)
            #expect(V(code: word.code) == word, sourceLocation: sourceLocation)
        }
        #expect(V(code: UInt8(pinned.count)) == nil, sourceLocation: sourceLocation)
    }
}
