import Foundation
import Ledger
import LMDB
import Testing
import TestSupport

/// A store of 30 single-event appends over 3 cases (`IDX-0` … `IDX-2`), released.
private func buildStore(at path: String) async throws {
    let store = try EventStore(directory: path, codec: OpaqueTestCodec(), options: .init(durable: false))
    for n in 0 ..< 30 {
        _ = try await store.append(to: LedgerFixture.stream("IDX-\(n % 3)"), expected: .any,
                                   events: [LedgerFixture.event(n, id: LedgerFixture.id(n))])
    }
}

/// Changes the store's indexes below the ledger, as a damaged page would.
private func damage(_ path: String, _ change: (RawLedger, WriteTransaction) throws -> Void) throws {
    let raw = try RawLedger(path: path)
    try raw.environment.write { txn in try change(raw, txn) }
}

private func idBytes(_ n: Int) -> [UInt8] { withUnsafeBytes(of: LedgerFixture.id(n).uuid) { Array($0) } }

@Suite("Deep verify: the indexes checked against the log")
struct IndexVerificationTests {
    @Test("an intact store's indexes agree with its log, entry for entry")
    func intactIndexesAgree() async throws {
        let directory = TemporaryDirectory("ledger-index")
        try await buildStore(at: directory.path)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        let report = try store.verifyIndexes()
        #expect(report == IndexReport(records: 30, caseEntries: 30, idEntries: 30, cases: 3))
    }

    @Test("a case's entry removed from `cases` is found, and reading the case fails instead of skipping it")
    func missingCaseEntry() async throws {
        let directory = TemporaryDirectory("ledger-index")
        try await buildStore(at: directory.path)
        // IDX-0 holds seqs 1, 4, 7, …: drop its second event (seq 4) from the index.
        try damage(directory.path) { raw, txn in _ = try txn.delete(raw.cases, "IDX-0", value: 4) }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        // The chain itself is intact: only the deep check can see this.
        _ = try store.verify()
        let failure = #expect(throws: IndexFailure.self) { try store.verifyIndexes() }
        #expect(failure?.index == "cases")
        // Before, `history` silently returned 9 events of 10.
        #expect(throws: IndexFailure.self) { try store.events(of: LedgerFixture.stream("IDX-0")) }
    }

    @Test("a `cases` entry pointing at another case's record is found, and never read as this case's")
    func foreignCaseEntry() async throws {
        let directory = TemporaryDirectory("ledger-index")
        try await buildStore(at: directory.path)
        // Replace IDX-0's first seq (1) by seq 2, a record of IDX-1.
        try damage(directory.path) { raw, txn in
            _ = try txn.delete(raw.cases, "IDX-0", value: 1)
            try txn.put(raw.cases, "IDX-0", 2)
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        let failure = #expect(throws: IndexFailure.self) { try store.verifyIndexes() }
        #expect(failure?.description.contains("belongs to case IDX-1") == true)
        #expect(throws: IndexFailure.self) { try store.events(of: LedgerFixture.stream("IDX-0")) }
        // The other cases still read.
        #expect(try store.events(of: LedgerFixture.stream("IDX-2")).count == 10)
    }

    @Test("an `ids` entry pointing at the wrong seq, or missing, is found")
    func wrongIdEntry() async throws {
        let directory = TemporaryDirectory("ledger-index")
        try await buildStore(at: directory.path)
        try damage(directory.path) { raw, txn in try txn.put(raw.ids, idBytes(5), 9) }
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
            let failure = #expect(throws: IndexFailure.self) { try store.verifyIndexes() }
            #expect(failure?.index == "ids")
        }
        try damage(directory.path) { raw, txn in
            try txn.put(raw.ids, idBytes(5), 6)
            _ = try txn.delete(raw.ids, idBytes(7))
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        let failure = #expect(throws: IndexFailure.self) { try store.verifyIndexes() }
        #expect(failure?.description.contains("29 entries for 30 records") == true)
    }

    @Test("an index value that is not a seq is damage, not a crash or a nonsense seq")
    func malformedIndexValue() async throws {
        let directory = TemporaryDirectory("ledger-index")
        try await buildStore(at: directory.path)
        try damage(directory.path) { raw, txn in
            let bytes: Database<[UInt8], [UInt8]> = raw.ids.retyped()
            try txn.put(bytes, idBytes(3), [1, 2, 3])
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
        let failure = #expect(throws: IndexFailure.self) { try store.verifyIndexes() }
        #expect(failure?.description.contains("3 bytes, not a seq") == true)
    }
}

@Suite("Repair: the indexes rebuilt from the log")
struct RepairTests {
    @Test("repair rebuilds damaged indexes from the log; the digest is unchanged and the damaged copy is kept")
    func repairRebuildsIndexes() async throws {
        let directory = TemporaryDirectory("ledger-repair")
        let path = directory.appending("events")
        try await buildStore(at: path)
        let before = try EventStore(directory: path, codec: OpaqueTestCodec(), options: .init(readOnly: true)).digest()
        try damage(path) { raw, txn in
            _ = try txn.delete(raw.cases, "IDX-1", value: 5)
            try txn.put(raw.cases, "IDX-1", 1)
            try txn.put(raw.ids, idBytes(0), 30)
            _ = try txn.delete(raw.ids, idBytes(12))
        }
        let report = try EventStore.repair(directory: path, codec: OpaqueTestCodec())
        #expect(report.records == 30)
        #expect(report.cases == 3)
        #expect(report.head == before)
        let kept = try #require(report.keptDamaged)
        #expect(FileManager.default.fileExists(atPath: kept + "/data.mdb"))

        let store = try EventStore(directory: path, codec: OpaqueTestCodec())
        #expect(try store.digest() == before)
        #expect(try store.verifyIndexes() == IndexReport(records: 30, caseEntries: 30, idEntries: 30, cases: 3))
        let events = try store.events(of: LedgerFixture.stream("IDX-1"))
        #expect(events.map(\.seq) == Array(stride(from: 2, through: 29, by: 3)))
        #expect(try store.seq(ofEventID: LedgerFixture.id(12)) == 13)
        // The repaired store takes appends where the log left off.
        let appended = try await store.append(to: LedgerFixture.stream("IDX-1"), expected: .exact(9),
                                              events: [LedgerFixture.event(99)])
        #expect(appended.positions == [Position(seq: 31, version: 10)])
    }

    @Test("a log whose chain does not verify is not repaired, and nothing is changed")
    func damagedLogIsRefused() async throws {
        let directory = TemporaryDirectory("ledger-repair")
        let path = directory.appending("events")
        try await buildStore(at: path)
        do {
            let raw = try RawLedger(path: path)
            try raw.alterRecord(10) { $0[40] ^= 0xFF }
        }
        #expect(throws: VerificationFailure.self) { try EventStore.repair(directory: path, codec: OpaqueTestCodec()) }
        #expect(!FileManager.default.fileExists(atPath: path + ".damaged-1"))
        #expect(FileManager.default.fileExists(atPath: path + "/data.mdb"))
    }
}
