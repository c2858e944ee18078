import Foundation
import Ledger
import LMDB
import Synchronization
import Testing
import TestSupport

@Suite("Backup and restore")
struct BackupTests {
    @Test("a backup taken under concurrent appends is one consistent snapshot: its digest is a prefix of the source's")
    func backupUnderAppends() async throws {
        let temporary = try TemporaryEventStore("ledger-backup", durable: false)
        let store = temporary.store
        for n in 0 ..< 200 {
            _ = try await store.append(to: LedgerFixture.stream("BAK-\(n % 5)"), expected: .any, events: [LedgerFixture.event(n)])
        }
        let backups = TemporaryDirectory("ledger-backup-copies")
        // Appends keep arriving on another task while backups are taken.
        let appender = Task {
            for n in 200 ..< 2200 {
                _ = try await store.append(to: LedgerFixture.stream("BAK-\(n % 5)"), expected: .any,
                                           events: LedgerFixture.events(3, first: 10 * n))
            }
        }
        var reports: [BackupReport] = []
        for i in 0 ..< 4 {
            reports.append(try store.backup(to: backups.appending("b\(i)")))
        }
        try await appender.value
        let head = try store.digest()
        #expect(head.seq == 200 + 2000 * 3)
        for report in reports {
            #expect(report.digest.seq >= 200 && report.digest.seq <= head.seq)
            // The source still holds the copy's hash at the copy's head: same history, later head.
            _ = try store.verify(against: report.digest)
            let copy = try EventStore(directory: report.directory, codec: OpaqueTestCodec(), options: .init(readOnly: true))
            #expect(try copy.digest() == report.digest)
            #expect(try copy.verifyIndexes().records == Int(report.digest.seq))
        }
        #expect(throws: BackupError.self) { try store.backup(to: backups.appending("b0")) }
    }

    @Test("restore puts a backup's log in place, keeps the replaced one, and refuses a backup that does not verify")
    func restoreReplacesTheLog() async throws {
        let root = TemporaryDirectory("ledger-restore")
        let live = root.appending("events")
        let backup = root.appending("backup")
        do {
            let store = try EventStore(directory: live, codec: OpaqueTestCodec(), options: .init(durable: false))
            for n in 0 ..< 30 { _ = try await store.append(to: LedgerFixture.stream("RST-1"), expected: .any, events: [LedgerFixture.event(n)]) }
            let report = try store.backup(to: backup)
            #expect(report.digest.seq == 30)
            for n in 30 ..< 50 { _ = try await store.append(to: LedgerFixture.stream("RST-1"), expected: .any, events: [LedgerFixture.event(n)]) }
        }
        let restored = try EventStore.restore(from: backup, into: live, codec: OpaqueTestCodec())
        #expect(restored.digest.seq == 30)
        #expect(restored.replaced == live + ".replaced-1")
        #expect(try EventStore(directory: live + ".replaced-1", codec: OpaqueTestCodec(), options: .init(readOnly: true)).digest().seq == 50)
        do {
            let store = try EventStore(directory: live, codec: OpaqueTestCodec(), options: .init(readOnly: true))
            #expect(try store.digest() == restored.digest)
            #expect(try store.events(of: LedgerFixture.stream("RST-1")).count == 30)
        }
        // A backup whose log was altered is refused, and the live log stays.
        do {
            let raw = try RawLedger(path: backup)
            try raw.alterRecord(7) { $0[40] ^= 1 }
        }
        #expect(throws: VerificationFailure.self) { try EventStore.restore(from: backup, into: live, codec: OpaqueTestCodec()) }
        #expect(try EventStore(directory: live, codec: OpaqueTestCodec(), options: .init(readOnly: true)).digest() == restored.digest)
    }
}
