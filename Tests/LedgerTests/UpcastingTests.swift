import Foundation
import Ledger
import LMDB
import Testing
import TestSupport

/// A format-1 record as an older program stored it (see `RecordFormat`):
/// u8 format=1, u8 type, u32 version, i64 seconds, u8 c + case, u8 a + actor, u32 p + payload,
/// 32B previous hash, 32B hash = SHA-256(previous hash ‖ every byte before the previous hash).
private struct LegacyRecord {
    var type: EventTypeCode
    var version: UInt32
    var seconds: Int64
    var caseNumber: String
    var actor: String
    var payload: [UInt8]

    func stored(after previous: ChainHash) -> (bytes: [UInt8], hash: ChainHash) {
        var w = ByteWriter()
        w.u8(1)
        w.u8(type.rawValue)
        w.u32(version)
        w.i64(seconds)
        w.u8(UInt8(caseNumber.utf8.count))
        w.raw(caseNumber.utf8)
        w.u8(UInt8(actor.utf8.count))
        w.raw(actor.utf8)
        w.u32(UInt32(payload.count))
        w.raw(payload)
        let body = w.bytes
        let hash = body.withUnsafeBytes { previous.linking($0) }
        return (body + previous.bytes + hash.bytes, hash)
    }
}

@Suite("Upcasting format-1 records")
struct UpcastingTests {
    let legacyCase = "2019-LEGACY-0001"
    private let legacy: [LegacyRecord]

    init() {
        legacy = [
            LegacyRecord(type: EventTypeCode(1), version: 0, seconds: 1_546_300_800, caseNumber: legacyCase,
                         actor: "窗口-03", payload: [1, 2, 3, 4]),
            LegacyRecord(type: EventTypeCode(4), version: 1, seconds: 1_546_304_400, caseNumber: legacyCase,
                         actor: "clerk-07", payload: Array(repeating: 0xAB, count: 40)),
        ]
    }

    /// Writes the legacy records raw into a fresh store directory, indexed as the ledger indexes
    /// them (cases: case → seq; ids: first 16 bytes of the hash → seq). Returns their hashes.
    private func plantLegacyLog(at path: String) throws -> [ChainHash] {
        let raw = try RawLedger(path: path)
        var previous = ChainHash.genesis
        var hashes: [ChainHash] = []
        try raw.environment.write { txn in
            for (index, record) in legacy.enumerated() {
                let seq = UInt64(index + 1)
                let (bytes, hash) = record.stored(after: previous)
                try txn.put(raw.log, seq, bytes, flags: .append)
                try txn.put(raw.cases, record.caseNumber, seq, flags: .appendDuplicate)
                try txn.put(raw.ids, Array(hash.bytes[0 ..< 16]), seq, flags: .noOverwrite)
                hashes.append(hash)
                previous = hash
            }
        }
        return hashes
    }

    @Test("format-1 records read back upcast: ms time, format 1, id from the hash")
    func readsUpcast() throws {
        let directory = TemporaryDirectory("ledger-upcast")
        let hashes = try plantLegacyLog(at: directory.path)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let caseNumber = LedgerFixture.stream(legacyCase)

        let events = try store.events(of: caseNumber)
        #expect(events.count == 2)
        for (index, (event, record)) in zip(events, legacy).enumerated() {
            #expect(event.seq == UInt64(index + 1))
            #expect(event.format == 1)
            #expect(event.typeCode == record.type)
            #expect(event.version == record.version)
            #expect(event.at == Timestamp(milliseconds: record.seconds * 1000))
            #expect(event.stream == caseNumber)
            #expect(event.actor == record.actor)
            #expect(event.payload == record.payload)
            #expect(event.hash == hashes[index])
            let id = withUnsafeBytes(of: event.id.uuid) { Array($0) }
            #expect(id == Array(hashes[index].bytes[0 ..< 16]))
        }
        #expect(try store.events(from: 1) == events)
        #expect(try store.version(of: caseNumber) == 1)
        #expect(try store.digest() == ChainDigest(seq: 2, hash: hashes[1]))
        #expect(try store.verify().checked == 2)
    }

    @Test("a new format-2 append chains onto format-1 records, and the whole log verifies")
    func appendAfterLegacy() async throws {
        let directory = TemporaryDirectory("ledger-upcast")
        let hashes = try plantLegacyLog(at: directory.path)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let caseNumber = LedgerFixture.stream(legacyCase)

        // A stale expectation is still refused against the legacy stream.
        await #expect(throws: LedgerError.wrongExpectedVersion(stream: caseNumber, expected: .noStream, actual: 1)) {
            try await store.append(to: caseNumber, expected: .noStream, events: [LedgerFixture.event(0)])
        }
        let next = LedgerFixture.event(7, type: EventTypeCode(14))
        let result = try await store.append(to: caseNumber, expected: .exact(1), events: [next])
        #expect(result.positions == [Position(seq: 3, version: 2)])

        var previousOfNew: ChainHash?
        var linked = false
        try store.scan(from: 3) { view in
            previousOfNew = view.previousHash
            linked = hashes[1].linking(view.body) == view.hash
            return false
        }
        #expect(previousOfNew == hashes[1])
        #expect(linked)
        #expect(try store.events(of: caseNumber).map(\.format) == [1, 1, 2])
        #expect(try store.verify().checked == 3)

        // A legacy event's derived id makes a retry of it recognisable like any other.
        let recorded = try #require(try store.events(of: caseNumber).first)
        await #expect(throws: LedgerError.idConflict(id: recorded.id, seq: 1)) {
            try await store.append(to: caseNumber, expected: .any, events: [
                NewEvent(id: recorded.id, type: recorded.typeCode, at: recorded.at, actor: recorded.actor, payload: [9]),
            ])
        }
    }

    @Test("a changed byte in a format-1 record is detected")
    func legacyTamperDetected() throws {
        let directory = TemporaryDirectory("ledger-upcast")
        _ = try plantLegacyLog(at: directory.path)
        do {
            let raw = try RawLedger(path: directory.path)
            try raw.alterRecord(1) { bytes in bytes[6] ^= 0x01 } // a byte of the seconds field
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == 1)
        #expect(failure?.kind == .hashMismatch)
    }
}
