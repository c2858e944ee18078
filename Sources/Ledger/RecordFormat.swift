import Foundation

/// The stored record, byte for byte. `Docs/ENCODING.md` is the reader's version of this file.
///
/// Format 2 (current), little-endian:
/// ```
///  0  u8   format = 2
///  1  u8   event type code (the domain's `EventTypeCode`)
///  2  u16  flags, 0
///  4  u32  stream version (from 0)
///  8  i64  time, ms since the Unix epoch (UTC)
/// 16  16B  event id (UUID bytes)
/// 32  u8   stream id length c, then c bytes UTF-8
///     u8   actor length a, then a bytes UTF-8
///     u32  payload length p, then p bytes (the domain's payload encoding)
///     32B  hash of the previous record
///     32B  this record's hash = SHA-256(previous hash ‖ every byte before the previous hash)
/// ```
/// Format 1 (read only, upcast on read) had no event id and stored seconds:
/// `u8 format=1, u8 type, u32 version, i64 seconds, u8 c + stream id, u8 a + actor, u32 p + payload,
/// 32B previous hash, 32B hash`; its event id is read as the first 16 bytes of its hash.
public enum RecordFormat {
    public static let current: UInt8 = 2
    /// Formats this program reads.
    public static let readable: ClosedRange<UInt8> = 1 ... 2
    static let trailerSize = 64
    static let headerSize = 32
    /// Largest record accepted; a typical event is a few hundred bytes.
    public static let maxRecordBytes = 64 * 1024
    public static let maxActorBytes = 64

    /// Appends the record bytes before the hashes to `w`, with version 0 (patched at append time
    /// at `versionOffset`). Built on the caller's thread, so the single writer only patches and hashes.
    static func encodeBody(stream: StreamID, event: NewEvent, into w: inout ByteWriter) throws(LedgerError) {
        let caseBytes = stream.rawValue.utf8.count
        let actorBytes = event.actor.utf8.count
        guard (1 ... maxActorBytes).contains(actorBytes),
              event.actor.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f })
        else { throw .invalidActor(event.actor) }
        let size = headerSize + 1 + caseBytes + 1 + actorBytes + 4 + event.payload.count
        guard size + trailerSize <= maxRecordBytes else {
            throw .recordTooLarge(bytes: size + trailerSize, limit: maxRecordBytes)
        }
        w.u8(current)
        w.u8(event.type.rawValue)
        w.u16(0)
        w.u32(0)
        w.i64(event.at.milliseconds)
        withUnsafeBytes(of: event.id.uuid) { w.raw($0) }
        w.u8(UInt8(caseBytes))
        w.raw(stream.rawValue.utf8)
        w.u8(UInt8(actorBytes))
        w.raw(event.actor.utf8)
        w.u32(UInt32(event.payload.count))
        w.raw(event.payload)
    }

    /// Where the stream version sits in a format-2 record.
    static let versionOffset = 4
}

/// A stored record read in place: the fields are decoded, the strings and payload are borrowed.
/// Valid only inside the closure that produced it (the read transaction); call `recorded()` to
/// keep a copy.
public struct EventView {
    public let seq: UInt64
    /// The whole stored value.
    public let record: UnsafeRawBufferPointer
    public let format: UInt8
    public let typeCode: EventTypeCode
    public let version: UInt32
    public let at: Timestamp
    private let idOffset: Int?
    private let streamRange: Range<Int>
    private let actorRange: Range<Int>
    private let payloadRange: Range<Int>

    /// Decodes the header of a stored record.
    /// - Throws: `LedgerError.corruptRecord` when the bytes are not a readable record.
    public init(seq: UInt64, record: UnsafeRawBufferPointer) throws(LedgerError) {
        self.seq = seq
        self.record = record
        var r = ByteReader(record)
        do {
            let format = try r.u8()
            guard RecordFormat.readable.contains(format) else {
                throw ByteDecodingError("unknown record format \(format)")
            }
            self.format = format
            typeCode = EventTypeCode(try r.u8())
            if format == 1 {
                version = try r.u32()
                at = Timestamp(milliseconds: try r.i64() * 1000)
                idOffset = nil
            } else {
                _ = try r.u16()
                version = try r.u32()
                at = Timestamp(milliseconds: try r.i64())
                idOffset = r.offset
                _ = try r.bytes(16)
            }
            streamRange = try EventView.slice(&r, length: Int(try r.u8()))
            actorRange = try EventView.slice(&r, length: Int(try r.u8()))
            payloadRange = try EventView.slice(&r, length: Int(try r.u32()))
            guard r.remaining == RecordFormat.trailerSize else {
                throw ByteDecodingError("\(r.remaining) bytes after the payload, expected the two 32-byte hashes")
            }
        } catch let error as ByteDecodingError {
            throw .corruptRecord(seq: seq, reason: error.reason)
        } catch {
            throw .corruptRecord(seq: seq, reason: "\(error)")
        }
    }

    private static func slice(_ r: inout ByteReader, length: Int) throws(ByteDecodingError) -> Range<Int> {
        let start = r.offset
        _ = try r.bytes(length)
        return start ..< start + length
    }

    /// The stream id's UTF-8 bytes, borrowed.
    public var streamBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[streamRange]) }
    public var stream: StreamID { StreamID(unvalidated: String(decoding: streamBytes, as: UTF8.self)) }
    public var actor: String { String(decoding: record[actorRange], as: UTF8.self) }
    /// The payload bytes, borrowed.
    public var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[payloadRange]) }
    /// The bytes the chain hashes (everything before the previous hash).
    public var body: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[..<(record.count - 64)]) }
    public var previousHash: ChainHash {
        ChainHash(bytes: UnsafeRawBufferPointer(rebasing: record[(record.count - 64) ..< (record.count - 32)]))
    }
    public var hash: ChainHash { ChainHash(bytes: UnsafeRawBufferPointer(rebasing: record[(record.count - 32)...])) }

    public var id: UUID {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let source = idOffset.map { UnsafeRawBufferPointer(rebasing: record[$0 ..< $0 + 16]) }
        withUnsafeMutableBytes(of: &uuid) { dst in
            if let source {
                dst.copyMemory(from: source)
            } else {
                hash.withBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0 ..< 16])) }
            }
        }
        return UUID(uuid: uuid)
    }

    /// An owned copy.
    public func recorded() -> RecordedEvent {
        RecordedEvent(seq: seq, stream: stream, version: version, id: id, typeCode: typeCode, at: at,
                      actor: actor, payload: Array(payload), hash: hash, format: format)
    }

    /// Same id, stream, type, time, actor and payload as a new record body (the content an
    /// idempotent retry must repeat); the version is not content.
    func hasSameContent(asBody body: UnsafeRawBufferPointer) -> Bool {
        if format == RecordFormat.current {
            let stored = self.body
            let v = RecordFormat.versionOffset
            return stored.count == body.count && stored[..<v].elementsEqual(body[..<v])
                && stored[(v + 4)...].elementsEqual(body[(v + 4)...])
        }
        // An older format: compare field by field.
        var padded = Array(body)
        padded.append(contentsOf: repeatElement(0, count: RecordFormat.trailerSize))
        return padded.withUnsafeBytes { raw in
            guard let other = try? EventView(seq: seq, record: raw) else { return false }
            return id == other.id && typeCode == other.typeCode && at == other.at && actor == other.actor
                && streamBytes.elementsEqual(other.streamBytes) && payload.elementsEqual(other.payload)
        }
    }
}
