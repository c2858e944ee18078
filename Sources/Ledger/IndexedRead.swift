import LMDB

extension LogStorage {
    /// Reads the record a `cases` entry names, and checks that it is the case's event at
    /// `version`: a damaged index must fail loudly, never hand out another case's record or
    /// skip one silently.
    /// - Throws: `IndexFailure` when the entry is not a seq, or names a missing or foreign record.
    func withIndexedRecord<R>(_ entry: UnsafeRawBufferPointer, of caseNumber: StreamID, version: UInt32,
                              _ txn: ReadTransaction, _ body: (EventView) throws -> R) throws -> R {
        guard entry.count == 8 else {
            throw IndexFailure(index: "cases", finding: "case \(caseNumber) holds a value of \(entry.count) bytes, not a seq")
        }
        let seq = UInt64(bigEndian: entry.loadUnaligned(as: UInt64.self))
        let result = try withRecord(seq: seq, txn) { view -> Result<R, IndexFailure> in
            guard view.streamBytes.elementsEqual(caseNumber.rawValue.utf8) else {
                return .failure(IndexFailure(index: "cases", finding: "case \(caseNumber) lists seq \(seq), but that record belongs to case \(String(decoding: view.streamBytes, as: UTF8.self))"))
            }
            guard view.version == version else {
                return .failure(IndexFailure(index: "cases", finding: "case \(caseNumber) lists seq \(seq) as its event #\(version), but that record is version \(view.version)"))
            }
            return .success(try body(view))
        }
        guard let result else {
            throw IndexFailure(index: "cases", finding: "case \(caseNumber) lists seq \(seq), which is not in the log")
        }
        return try result.get()
    }
}
