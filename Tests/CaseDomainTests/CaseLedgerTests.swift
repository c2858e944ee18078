import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport

/// `CaseLedger.record`, `file(of:asOf:)` and retries, over a temporary store with the seed
/// catalog (LZH-C-0009: legal 20, promised 3).
@Suite("CaseLedger: checked appends")
struct CaseLedgerTests {
    static let number = caseNo("LZH-2023-000501")
    static let submitted = EventData.submitted(Submission(item: "LZH-C-0009", channel: .mobile,
                                                          applicant: Applicant(kind: .enterprise, ref: "E-501")))

    @Test func recordAppendsCheckedEvents() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let head = try t.store.digest()
        let first = try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"), actor: "clerk-07")
        let second = try await t.ledger.record(acceptance("LZH-C-0009", window: "W05"), to: Self.number,
                                               at: at("2023-09-28T10:00:00+08:00"), actor: "clerk-07")
        #expect(first == Position(seq: head.seq + 1, version: 0))
        #expect(second == Position(seq: head.seq + 2, version: 1))

        let events = try t.store.events(of: Self.number)
        #expect(try events.map { try $0.type } == [.submitted, .accepted])
        #expect(events.map(\.actor) == ["clerk-07", "clerk-07"])
        #expect(try events[0].data() == Self.submitted)
        // What is stored is the admitted event: limits from the catalog, deadline computed.
        #expect(try events[1].data() == .accepted(Acceptance(item: "LZH-C-0009", window: "W05", legalDays: 20,
                                                             promisedDays: 3, deadline: cst("2023-10-09"))))
        let file = try t.ledger.file(of: Self.number)
        #expect(file.status == .processing)
        #expect(file.version == 1)
    }

    @Test func aRefusedEventWritesNothing() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"), actor: "clerk-07")
        let head = try t.store.digest()
        let violation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.approved(certificate: nil), to: Self.number, at: at("2023-09-28T10:00:00+08:00"), actor: "clerk-07")
        }
        #expect(violation?.description == "case LZH-2023-000501 is submitted: approved refused: only a case in processing can be decided")
        await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.visited, to: caseNo("LZH-2023-000999"), at: at("2023-09-28T10:00:00+08:00"), actor: "clerk-07")
        }
        #expect(try t.store.digest() == head)
        #expect(try t.store.version(of: Self.number) == 0)
        #expect(try t.store.version(of: caseNo("LZH-2023-000999")) == nil)
    }

    @Test func fileAsOfAPastMoment() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let story: [(EventRequest, String)] = [
            (.record(Self.submitted), "2023-09-28T09:00:00+08:00"),
            (acceptance("LZH-C-0009"), "2023-09-28T10:00:00+08:00"),
            (.record(.suspended(procedure: .expertReview, reason: "专家评审")), "2023-10-09T09:00:00+08:00"),
            (.record(.resumed), "2023-10-11T09:00:00+08:00"),
            (.record(.approved(certificate: nil)), "2023-10-12T15:00:00+08:00"),
        ]
        for (data, time) in story {
            try await t.ledger.record(data, to: Self.number, at: at(time), actor: "clerk-07")
        }
        #expect(try t.ledger.file(of: Self.number, asOf: at("2023-09-28T08:59:59+08:00")).exists == false)
        let submitted = try t.ledger.file(of: Self.number, asOf: at("2023-09-28T09:30:00+08:00"))
        #expect(submitted.status == .submitted)
        #expect(submitted.version == 0)
        // Exactly at an event's time, the event counts.
        #expect(try t.ledger.file(of: Self.number, asOf: at("2023-09-28T02:00:00Z")).status == .processing)
        let suspended = try t.ledger.file(of: Self.number, asOf: at("2023-10-10T12:00:00+08:00"))
        #expect(suspended.status == .suspended)
        #expect(suspended.suspensions == [SuspensionPeriod(start: cst("2023-10-09"), end: nil)])
        #expect(suspended.completedAt == nil)
        let now = try t.ledger.file(of: Self.number, asOf: nil)
        #expect(now.status == .approved)
        #expect(now.completedAt == at("2023-10-12T15:00:00+08:00"))
        #expect(now == (try t.ledger.file(of: Self.number)))
    }

    @Test func aRetriedRecordReturnsTheOriginalPosition() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let submittedID = UUID(), acceptedID = UUID(), visitID = UUID()
        let original = try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"),
                                                 actor: "clerk-07", id: submittedID)
        let accepted = try await t.ledger.record(acceptance("LZH-C-0009"), to: Self.number, at: at("2023-09-28T10:00:00+08:00"),
                                                 actor: "clerk-07", id: acceptedID)
        let visit = try await t.ledger.record(.visited, to: Self.number, at: at("2023-09-28T11:00:00+08:00"),
                                              actor: "clerk-07", id: visitID)
        let head = try t.store.digest()

        // The same calls again (a client that never saw the answers), in any order.
        #expect(try await t.ledger.record(.visited, to: Self.number, at: at("2023-09-28T11:00:00+08:00"),
                                          actor: "clerk-07", id: visitID) == visit)
        #expect(try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"),
                                          actor: "clerk-07", id: submittedID) == original)
        // An accepted event is retried as the clerk sent it: limits and deadline left to the ledger.
        #expect(try await t.ledger.record(acceptance("LZH-C-0009"), to: Self.number, at: at("2023-09-28T10:00:00+08:00"),
                                          actor: "clerk-07", id: acceptedID) == accepted)
        #expect(try t.store.digest() == head)
        #expect(try t.store.version(of: Self.number) == 2)
    }

    @Test func aReusedIdWithOtherContentIsAConflict() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        let id = UUID()
        let position = try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"),
                                                 actor: "clerk-07", id: id)
        let head = try t.store.digest()
        let error = await #expect(throws: LedgerError.self) {
            try await t.ledger.record(.visited, to: Self.number, at: at("2023-09-28T09:00:00+08:00"), actor: "clerk-07", id: id)
        }
        #expect(error == .idConflict(id: id, seq: position.seq))
        await #expect(throws: LedgerError.self) {
            try await t.ledger.record(acceptance("LZH-C-0009"), to: Self.number, at: at("2023-09-28T10:00:00+08:00"),
                                      actor: "clerk-07", id: id)
        }
        #expect(try t.store.digest() == head)
    }

    @Test func recordingCatalogEventsUpdatesTheCatalogInForce() async throws {
        let t = try await TemporaryLedger()
        let item = DomainFixtures.item("LZH-Q-9001", legal: 10, promised: 2)
        try await t.ledger.record(.itemPublished(item), to: .catalog, at: at("2023-01-01T09:00:00+08:00"), actor: "catalog-admin")
        #expect(t.ledger.catalog["LZH-Q-9001"] == item)
        let submission = EventData.submitted(Submission(item: "LZH-Q-9001", channel: .pc, applicant: Applicant(kind: .person, ref: "P-1")))
        try await t.ledger.record(submission, to: Self.number, at: at("2023-09-28T09:00:00+08:00"), actor: "clerk-07")
        await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.itemPublished(item), to: .catalog, at: at("2023-01-02T09:00:00+08:00"), actor: "catalog-admin")
        }
        // A second ledger over the same store reads the catalog back from the log.
        #expect(try CaseLedger(store: t.store, calendar: try CalendarFixtures.calendar()).catalog == t.ledger.catalog)
    }

    /// Out-of-range values are refused by the rules, never written (nor trapped on when encoding).
    @Test func outOfRangeValuesAreRefused() async throws {
        let t = try await TemporaryLedger(seedCatalog: true)
        try await t.ledger.record(Self.submitted, to: Self.number, at: at("2023-09-28T09:00:00+08:00"), actor: "clerk-07")
        try await t.ledger.record(acceptance("LZH-C-0009"), to: Self.number, at: at("2023-09-28T10:00:00+08:00"), actor: "clerk-07")
        try await t.ledger.record(.visited, to: Self.number, at: at("2023-09-28T10:30:00+08:00"), actor: "clerk-07")
        let head = try t.store.digest()
        let bad: [(EventData, String)] = [
            (.evaluated(Evaluation(level: 300, channel: .pc)), "level 300"),
            (.evaluated(Evaluation(level: 0, channel: .pc)), "level 0"),
            (.extended(days: -3), "-3"),
            (.materialsReduced(count: -1, via: .waived), "-1"),
        ]
        for (data, fragment) in bad {
            let violation = await #expect(throws: RuleViolation.self) {
                try await t.ledger.record(data, to: Self.number, at: at("2023-09-28T11:00:00+08:00"), actor: "clerk-07")
            }
            #expect(violation?.reason.contains(fragment) == true, "\(String(describing: violation))")
        }
        let negative = DomainFixtures.item("LZH-Q-9002", legal: -1, promised: 0)
        let catalogViolation = await #expect(throws: RuleViolation.self) {
            try await t.ledger.record(.itemPublished(negative), to: .catalog, at: at("2023-09-28T11:00:00+08:00"), actor: "catalog-admin")
        }
        #expect(catalogViolation?.description == "item LZH-Q-9002 is not in the catalog: itemPublished refused: legalDays, promisedDays and maxVisits must not be negative")
        #expect(try t.store.digest() == head)
    }
}

/// The store opened with the case domain's codec is a door that checks: nothing reaches the log
/// that the read side cannot decode.
@Suite("Case codec at the store's door")
struct CaseCodecDoorTests {
    @Test("a payload the case domain cannot decode is refused and nothing is written", arguments: [
        [UInt8]([0xFF]), [], [EventData.payloadVersion], [EventData.payloadVersion, 200, 1, 2],
    ])
    func undecodablePayloadIsRefused(payload: [UInt8]) async throws {
        let directory = TemporaryDirectory("codec-door")
        let store = try EventStore(directory: directory.path, codec: CaseEventCodec(), options: .init(durable: false))
        let number = try CaseNumber("LZH-2023-000001")
        let event = NewEvent(type: .submitted, at: Timestamp(milliseconds: 1_700_000_000_000), actor: "clerk-01", payload: payload)
        await #expect(throws: LedgerError.self) { try await store.append(to: number, expected: .any, events: [event]) }
        await #expect(throws: BatchAppendError.self) {
            try await store.appendAll([AppendRequest(stream: number, expected: .any, events: [event])])
        }
        #expect(try store.digest().seq == 0)
    }

    @Test("an unknown type code is refused")
    func unknownTypeIsRefused() async throws {
        let directory = TemporaryDirectory("codec-door")
        let store = try EventStore(directory: directory.path, codec: CaseEventCodec(), options: .init(durable: false))
        let event = NewEvent(type: EventTypeCode(250), at: Timestamp(milliseconds: 1), actor: "clerk-01",
                             payload: EventData.visited.encoded())
        do {
            _ = try await store.append(to: try CaseNumber("LZH-2023-000002"), expected: .any, events: [event])
            Issue.record("expected a refusal")
        } catch let error as LedgerError {
            guard case .invalidPayload(let type, _) = error else { Issue.record("got \(error)"); return }
            #expect(type == EventTypeCode(250))
        }
        #expect(try store.digest().seq == 0)
    }

    @Test("a well-formed payload of the right type is appended")
    func wellFormedIsAppended() async throws {
        let directory = TemporaryDirectory("codec-door")
        let store = try EventStore(directory: directory.path, codec: CaseEventCodec(), options: .init(durable: false))
        let event = NewEvent(EventData.visited, at: Timestamp(milliseconds: 1), actor: "clerk-01")
        _ = try await store.append(to: try CaseNumber("LZH-2023-000003"), expected: .any, events: [event])
        #expect(try store.events(from: 1).first?.data() == .visited)
    }
}
