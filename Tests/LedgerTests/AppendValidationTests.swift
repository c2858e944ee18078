import Foundation
import Ledger
import Testing
import TestSupport

@Suite("Append validation")
struct AppendValidationTests {
    @Test("an append without events is refused")
    func emptyAppend() async throws {
        let temporary = try TemporaryEventStore("ledger-valid", durable: false)
        let caseNumber = LedgerFixture.stream("EMPTY-1")
        await #expect(throws: LedgerError.emptyAppend(caseNumber)) {
            try await temporary.store.append(to: caseNumber, expected: .any, events: [])
        }
        #expect(throws: LedgerError.emptyAppend(caseNumber)) {
            try temporary.store.appendAndWait(to: caseNumber, expected: .any, events: [])
        }
        #expect(try temporary.store.digest().seq == 0)
    }

    @Test("invalid case numbers are refused", arguments: [
        "", String(repeating: "A", count: 51), "A B", "A\tB", "A\nB", " LEADING", "TRAILING ", "DEL\u{7f}",
        String(repeating: "办", count: 51),
    ])
    func invalidCaseNumbers(raw: String) {
        let error = #expect(throws: LedgerError.self) { try StreamID(raw) }
        guard case .invalidStreamID(let rejected, _)? = error else {
            Issue.record("expected invalidStreamID, got \(String(describing: error))")
            return
        }
        #expect(rejected == raw)
    }

    @Test("valid case numbers: up to 50 characters, any script, no spaces", arguments: [
        "A", String(repeating: "A", count: 50), "2023-梁子湖-000123", String(repeating: "办", count: 50), "CATALOG",
    ])
    func validCaseNumbers(raw: String) throws {
        #expect(try StreamID(raw).rawValue == raw)
    }

    @Test("invalid actors are refused and nothing is written", arguments: [
        "", String(repeating: "a", count: 65), "clerk\n01", "clerk\u{0}", String(repeating: "审", count: 22),
    ])
    func invalidActor(actor: String) async throws {
        let temporary = try TemporaryEventStore("ledger-valid", durable: false)
        let caseNumber = LedgerFixture.stream("ACTOR-1")
        let events = [LedgerFixture.event(0), LedgerFixture.event(1, actor: actor)]
        await #expect(throws: LedgerError.invalidActor(actor)) {
            try await temporary.store.append(to: caseNumber, expected: .noStream, events: events)
        }
        #expect(try temporary.store.digest().seq == 0)
        #expect(try temporary.store.version(of: caseNumber) == nil)
    }

    @Test("actors of 1 to 64 bytes are accepted")
    func validActors() async throws {
        let temporary = try TemporaryEventStore("ledger-valid", durable: false)
        let caseNumber = LedgerFixture.stream("ACTOR-2")
        let actors = ["x", String(repeating: "a", count: 64), "窗口-12 张三", String(repeating: "审", count: 21)]
        let events = actors.enumerated().map { LedgerFixture.event($0.offset, actor: $0.element) }
        _ = try await temporary.store.append(to: caseNumber, expected: .noStream, events: events)
        #expect(try temporary.store.events(of: caseNumber).map(\.actor) == actors)
    }

    @Test("a 1 MiB payload is refused as recordTooLarge and nothing is written")
    func recordTooLarge() async throws {
        let temporary = try TemporaryEventStore("ledger-valid", durable: false)
        let caseNumber = LedgerFixture.stream("BIG-1")
        _ = try await temporary.store.append(to: caseNumber, expected: .noStream, events: [LedgerFixture.event(0)])
        let digest = try temporary.store.digest()
        let big = [LedgerFixture.event(1), LedgerFixture.event(2, payloadSize: 1 << 20)]
        let error = await #expect(throws: LedgerError.self) {
            try await temporary.store.append(to: caseNumber, expected: .any, events: big)
        }
        guard case let .recordTooLarge(bytes, limit)? = error else {
            Issue.record("expected recordTooLarge, got \(String(describing: error))")
            return
        }
        #expect(bytes > 1 << 20)
        #expect(limit == RecordFormat.maxRecordBytes)
        #expect(try temporary.store.digest() == digest)
        #expect(try temporary.store.version(of: caseNumber) == 0)
    }

    @Test("a record of exactly the size limit is accepted; one byte more is refused")
    func recordSizeBoundary() async throws {
        let temporary = try TemporaryEventStore("ledger-valid", durable: false)
        let caseNumber = LedgerFixture.stream("EDGE-1")
        let actor = "clerk-01"
        // header 32 + case (1 + 6) + actor (1 + 8) + payload length 4 + payload + two hashes 64
        let overhead = 32 + 1 + caseNumber.rawValue.utf8.count + 1 + actor.utf8.count + 4 + 64
        let fits = LedgerFixture.event(0, actor: actor, payloadSize: RecordFormat.maxRecordBytes - overhead)
        let result = try await temporary.store.append(to: caseNumber, expected: .noStream, events: [fits])
        #expect(result.positions == [Position(seq: 1, version: 0)])
        #expect(try temporary.store.events(of: caseNumber).first?.payload == fits.payload)

        let tooBig = LedgerFixture.event(1, actor: actor, payloadSize: RecordFormat.maxRecordBytes - overhead + 1)
        await #expect(throws: LedgerError.recordTooLarge(bytes: RecordFormat.maxRecordBytes + 1,
                                                         limit: RecordFormat.maxRecordBytes)) {
            try await temporary.store.append(to: caseNumber, expected: .any, events: [tooBig])
        }
        #expect(try temporary.store.digest().seq == 1)
    }
}
