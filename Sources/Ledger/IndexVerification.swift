import Foundation
import LMDB

/// Why the indexes do not agree with the log. The log is the truth; `repairIndexes()` rebuilds
/// the indexes from it.
public struct IndexFailure: Error, Sendable, CustomStringConvertible {
    /// The index that is wrong: `cases` or `ids`.
    public let index: String
    public let finding: String
    public var description: String { "index \(index): \(finding)" }
}

/// What a successful `verifyIndexes()` checked.
public struct IndexReport: Sendable, Equatable {
    public var records: Int
    public var caseEntries: Int
    public var idEntries: Int
    public var cases: Int

    public init(records: Int, caseEntries: Int, idEntries: Int, cases: Int) {
        self.records = records
        self.caseEntries = caseEntries
        self.idEntries = idEntries
        self.cases = cases
    }
}

extension EventStore {
    /// Checks everything the store holds besides the chain against the log:
    /// every `cases` entry points at a record of that case with the entry's version, every `ids`
    /// entry at a record with that id, every record is indexed in both, and the head is the last
    /// of an unbroken run of seqs from 1.
    ///
    /// With the chain re-hash of `verify()`, it proves that reads by case and by id answer what
    /// the log says.
    /// - Throws: `IndexFailure` naming the first disagreement.
    public func verifyIndexes(progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> IndexReport {
        try storage.environment.read { txn in
            let records = try txn.count(storage.log)
            let head = try storage.head(txn)
            guard head.seq == UInt64(records) else {
                throw IndexFailure(index: "log", finding: "the head is seq \(head.seq), but the log holds \(records) records (seqs are missing)")
            }
            let caseEntries = try txn.count(storage.cases)
            let idEntries = try txn.count(storage.ids)
            let total = caseEntries + idEntries
            var done = 0
            // Every entry is checked against the record it names; a record names one case and
            // one id, so with as many valid entries as records, every record is indexed once.
            let cases = try txn.withCursor(storage.cases) { cursor -> Int in
                var cases = 0
                var current: [UInt8] = []
                var version: UInt32 = 0
                var entry = try cursor.first()
                while let (key, value) = entry {
                    if !key.elementsEqual(current) {
                        current = Array(key)
                        version = 0
                        cases += 1
                    }
                    let name = String(decoding: key, as: UTF8.self)
                    let seq = try indexedSeq(value, index: "cases", key: "case \(name)")
                    let found = try storage.withRecord(seq: seq, txn) { view -> String? in
                        guard view.streamBytes.elementsEqual(key) else {
                            return "case \(name) lists seq \(seq), but that record belongs to case \(String(decoding: view.streamBytes, as: UTF8.self))"
                        }
                        guard view.version == version else {
                            return "case \(name) lists seq \(seq) as its event #\(version), but that record is version \(view.version)"
                        }
                        return nil
                    }
                    switch found {
                    case .none: throw IndexFailure(index: "cases", finding: "case \(name) lists seq \(seq), which is not in the log")
                    case .some(.some(let finding)): throw IndexFailure(index: "cases", finding: finding)
                    case .some(.none): break
                    }
                    version += 1
                    done += 1
                    if let progress, done % 65_536 == 0 { progress(done, total) }
                    entry = try cursor.next()
                }
                return cases
            }
            guard caseEntries == records else {
                throw IndexFailure(index: "cases", finding: "holds \(caseEntries) entries for \(records) records (\(records > caseEntries ? "records are missing from it" : "it lists records twice"))")
            }
            try txn.withCursor(storage.ids) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    let id = key.count == 16 ? UUID(uuid: key.loadUnaligned(as: uuid_t.self)).uuidString.lowercased() : "of \(key.count) bytes"
                    let seq = try indexedSeq(value, index: "ids", key: "event id \(id)")
                    guard key.count == 16 else { throw IndexFailure(index: "ids", finding: "a key of \(key.count) bytes (ids are 16)") }
                    let found = try storage.withRecord(seq: seq, txn) { view in
                        withUnsafeBytes(of: view.id.uuid) { $0.elementsEqual(key) }
                    }
                    switch found {
                    case .none: throw IndexFailure(index: "ids", finding: "event id \(id) points at seq \(seq), which is not in the log")
                    case .some(false): throw IndexFailure(index: "ids", finding: "event id \(id) points at seq \(seq), but that record has another id")
                    case .some(true): break
                    }
                    done += 1
                    if let progress, done % 65_536 == 0 { progress(done, total) }
                    entry = try cursor.next()
                }
            }
            guard idEntries == records else {
                throw IndexFailure(index: "ids", finding: "holds \(idEntries) entries for \(records) records (\(records > idEntries ? "records are missing from it" : "it lists records twice"))")
            }
            progress?(total, total)
            return IndexReport(records: records, caseEntries: caseEntries, idEntries: idEntries, cases: cases)
        }
    }
}

/// An index value must be an 8-byte seq.
private func indexedSeq(_ value: UnsafeRawBufferPointer, index: String, key: String) throws -> UInt64 {
    guard value.count == 8 else { throw IndexFailure(index: index, finding: "\(key) holds a value of \(value.count) bytes, not a seq") }
    return UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))
}
