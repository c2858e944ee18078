import CaseDomain
import Foundation
import Ledger

/// Events as `ledger_events` rows, written straight from the stored records into the COPY text:
/// the fields from the record's bytes, the `event` column — the event's interchange line, as
/// `ledger export` writes it — with its envelope written in place and only its `data` object
/// through the domain's JSON writer (one, reused). A million events are written without a
/// string or array made per event.
struct EventRows {
    static let columns = ["ledger_id", "seq", "case_number", "version", "type", "at", "actor", "event", "record", "hash"]

    let ledgerID: String
    /// The `data` object of the event being written.
    private var data = JSONWriter()

    init(ledgerID: String) { self.ledgerID = ledgerID }

    mutating func write(_ view: EventView, into rows: inout CopyText) throws(FeedError) {
        let eventData: EventData, type: EventType
        do { (eventData, type) = (try view.data(), try view.type) } catch {
            throw .brokenChain(ledgerID: ledgerID, seq: view.seq, problem: "has a payload this program cannot read (\(error))")
        }
        let actor = view.actor
        rows.text(ledgerID)
        rows.integer(view.seq)
        rows.text(view.caseBytes)
        rows.integer(view.version)
        rows.text(type.name)
        rows.timestamp(view.at)
        rows.text(actor)

        // {"id":…,"case":…,"type":…,"at":…,"actor":…,"data":{…}}, keys in the interchange order.
        rows.separate()
        rows.raw("{\"id\":\"")
        rows.uuid(view.id)
        rows.raw("\",\"case\":")
        rows.jsonString(view.caseBytes)
        rows.raw(",\"type\":")
        rows.jsonString(type.name)
        rows.raw(",\"at\":")
        rows.chinaTime(view.at)
        rows.raw(",\"actor\":")
        rows.jsonString(actor)
        rows.raw(",\"data\":")
        data.removeAll()
        eventData.writeJSON(into: &data)
        data.bytes.withUnsafeBytes { rows.escaped($0) }
        rows.raw("}")

        rows.bytea(view.record)
        rows.bytea(view.hash)
        rows.endRow()
    }
}

extension CopyText {
    /// A JSON string (quoted, JSON-escaped as the domain's writer does) inside a value already
    /// begun, escaped again for COPY: JSON's backslashes doubled.
    mutating func jsonString(_ value: UnsafeRawBufferPointer) {
        write(upTo: 2 + value.count * 7) { out in
            out[0] = 34
            var n = 1
            for byte in value {
                switch byte {
                case 34: out[n] = 92; out[n + 1] = 92; out[n + 2] = 34; n += 3  // \" → \\"
                case 92: out[n] = 92; out[n + 1] = 92; out[n + 2] = 92; out[n + 3] = 92; n += 4
                case 10: out[n] = 92; out[n + 1] = 92; out[n + 2] = 110; n += 3
                case 13: out[n] = 92; out[n + 1] = 92; out[n + 2] = 114; n += 3
                case 9: out[n] = 92; out[n + 1] = 92; out[n + 2] = 116; n += 3
                case 0 ..< 0x20:  // \u00XX
                    out[n] = 92; out[n + 1] = 92; out[n + 2] = 117; out[n + 3] = 48; out[n + 4] = 48
                    out[n + 5] = hexDigit(byte >> 4); out[n + 6] = hexDigit(byte & 15)
                    n += 7
                default: out[n] = byte; n += 1
                }
            }
            out[n] = 34
            return n + 1
        }
    }

    mutating func jsonString(_ value: String) {
        var value = value
        value.withUTF8 { jsonString(UnsafeRawBufferPointer($0)) }
    }

    /// A UUID in lower-case hyphenated form (`0190c3b2-…`).
    mutating func uuid(_ id: UUID) {
        withUnsafeBytes(of: id.uuid) { bytes in
            write(upTo: 36) { out in
                var n = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[n] = 45; n += 1 }
                    out[n] = hexDigit(byte >> 4)
                    out[n + 1] = hexDigit(byte & 15)
                    n += 2
                }
                return n
            }
        }
    }

    /// A JSON string of the time in China Standard Time, as `Timestamp.chinaTime` writes it:
    /// `"2023-01-03T09:12:00+08:00"`, with `.mmm` when the milliseconds are not zero.
    mutating func chinaTime(_ at: Timestamp) {
        let local = at.milliseconds + Timestamp.chinaOffsetSeconds * 1000
        let days = local >= 0 ? local / 86_400_000 : (local - 86_400_000 + 1) / 86_400_000
        let msOfDay = local - days * 86_400_000
        let (year, month, day) = utcCivilDate(fromDays: days)
        guard (0 ... 9999).contains(year) else {
            jsonString(at.chinaTime)  // not a time a hall records
            return
        }
        let seconds = msOfDay / 1000, ms = msOfDay % 1000
        write(upTo: 33) { out in
            out[0] = 34
            putDigits(out + 1, year, 4); out[5] = 45; putDigits(out + 6, month, 2); out[8] = 45; putDigits(out + 9, day, 2)
            out[11] = 84
            putDigits(out + 12, seconds / 3600, 2); out[14] = 58
            putDigits(out + 15, seconds / 60 % 60, 2); out[17] = 58
            putDigits(out + 18, seconds % 60, 2)
            var n = 20
            if ms != 0 {
                out[20] = 46; putDigits(out + 21, ms, 3)
                n = 24
            }
            for byte in "+08:00\"".utf8 {
                out[n] = byte
                n += 1
            }
            return n
        }
    }
}
