import Foundation
import Ledger
import Testing

@Suite("Record decoder on damaged bytes")
struct RecordDecoderTests {
    /// A format-1 record (seconds, no id) with `seconds` as its time.
    private func legacyRecord(seconds: Int64) -> [UInt8] {
        var bytes: [UInt8] = [1, 7]
        bytes += withUnsafeBytes(of: UInt32(0).littleEndian) { Array($0) }
        bytes += withUnsafeBytes(of: seconds.littleEndian) { Array($0) }
        bytes += [3] + Array("C-1".utf8) + [2] + Array("ab".utf8)
        bytes += withUnsafeBytes(of: UInt32(0).littleEndian) { Array($0) }
        bytes += [UInt8](repeating: 0, count: 64)
        return bytes
    }

    @Test("a legacy record whose seconds overflow milliseconds is corrupt, not a trap (found by the record fuzzer)",
          arguments: [Int64.max, Int64.min, Int64.max / 999])
    func overflowingTime(seconds: Int64) {
        let record = legacyRecord(seconds: seconds)
        let error = record.withUnsafeBytes { raw in Result { () throws(LedgerError) in try EventView(seq: 9, record: raw) } }
        guard case .failure(.corruptRecord(let seq, let reason)) = error else {
            Issue.record("expected a corrupt record, got \(error)")
            return
        }
        #expect(seq == 9)
        #expect(reason.contains("time out of range"))
    }

    @Test("a legacy record with an ordinary time still decodes")
    func ordinaryTime() throws {
        let record = legacyRecord(seconds: 1_546_300_800)
        let at = try record.withUnsafeBytes { raw in try EventView(seq: 1, record: raw).at }
        #expect(at.milliseconds == 1_546_300_800_000)
    }
}
