/// The fields of a stored record that a proof check needs, read from its bytes alone (no store,
/// no event schema): the layout is in `Docs/ENCODING.md`.
public struct RecordFields: Sendable, Equatable {
    public var format: UInt8
    public var version: UInt32
    public var caseNumber: String

    public init(record: [UInt8]) throws(ProofFailure) {
        guard let format = record.first else { throw .malformedBundle("an empty record") }
        // Format 2: u8 format, u8 type, u16 flags, u32 version, i64 ms, 16 B id, u8 c + case.
        // Format 1: u8 format, u8 type, u32 version, i64 s, u8 c + case.
        let (versionAt, caseAt): (Int, Int)
        switch format {
        case 2: (versionAt, caseAt) = (4, 32)
        case 1: (versionAt, caseAt) = (2, 14)
        default: throw .malformedBundle("record format \(format) is unknown")
        }
        guard record.count > caseAt, record.count >= caseAt + 1 + Int(record[caseAt]) + 64 else {
            throw .malformedBundle("a record of \(record.count) bytes is too short")
        }
        self.format = format
        version = (0 ..< 4).reduce(UInt32(0)) { $0 | UInt32(record[versionAt + $1]) << (8 * UInt32($1)) }
        caseNumber = String(decoding: record[(caseAt + 1) ..< (caseAt + 1 + Int(record[caseAt]))], as: UTF8.self)
    }
}
