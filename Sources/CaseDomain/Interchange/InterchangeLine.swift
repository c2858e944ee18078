import Foundation
import Ledger
import LedgerProofs

/// One event in the JSON Lines interchange format (Docs/DOMAIN.md §Interchange format):
/// `{"id":…,"case":…,"type":…,"at":…,"actor":…,"data":{…}}`.
public struct InterchangeEvent: Sendable, Hashable {
    public var id: UUID?
    public var caseNumber: CaseNumber
    /// The event as the line gives it (an acceptance may leave its limits to the ledger).
    public var request: EventRequest
    public var at: Timestamp
    public var actor: String

    public init(id: UUID?, caseNumber: CaseNumber, request: EventRequest, at: Timestamp, actor: String) {
        self.id = id
        self.caseNumber = caseNumber
        self.request = request
        self.at = at
        self.actor = actor
    }

    /// The most bytes one line may have; a case event is a few hundred.
    public static let maxLineBytes = 64 * 1024

    private static let fieldNames: Set<String> = ["id", "case", "type", "at", "actor", "data"]

    /// Parses one line. The error names the field and the reason (the caller adds the line number).
    public init(line: some DataProtocol) throws(InterchangeError) {
        guard line.count <= InterchangeEvent.maxLineBytes else {
            throw .invalid("the line is \(line.count) bytes, more than the \(InterchangeEvent.maxLineBytes) allowed")
        }
        let parsed = Array(line).withUnsafeBytes { raw in Result { () throws(JSONParser.Failure) in try JSONParser.parse(raw) } }
        guard case .success(let value) = parsed else {
            throw .invalid("malformed JSON (expected one object with id, case, type, at, actor, data)")
        }
        guard case .object(let object) = value else { throw .invalid("expected one JSON object with id, case, type, at, actor, data") }
        if let unknown = object.keys.sorted().first(where: { !InterchangeEvent.fieldNames.contains($0) }) {
            throw .invalid("unknown field \"\(unknown)\" (an event line has id, case, type, at, actor, data)")
        }
        func text(_ key: String) throws(InterchangeError) -> String? {
            switch object[key] {
            case .none, .null?: return nil
            case .string(let s)?: return s
            case let other?: throw .invalid("\"\(key)\" must be a string, not \(other.kindName)")
            }
        }
        let fields = (id: try text("id"), case: try text("case"), type: try text("type"), at: try text("at"),
                      actor: try text("actor"), data: object["data"])
        guard let rawCase = fields.case else { throw .invalid("missing \"case\" (the case number)") }
        do { caseNumber = try CaseNumber(caseNumber: rawCase) } catch { throw .invalid(error.description) }
        guard let typeName = fields.type else { throw .invalid("missing \"type\"") }
        guard let type = EventType(name: typeName) else { throw .invalid("unknown event type \"\(typeName)\"") }
        guard let atText = fields.at else { throw .invalid("missing \"at\" (an RFC 3339 time such as 2023-09-28T10:00:00+08:00)") }
        guard let at = Timestamp(rfc3339: atText) else {
            throw .invalid("bad timestamp \"\(atText)\": use RFC 3339 with a zone, e.g. 2023-09-28T10:00:00+08:00")
        }
        self.at = at
        guard let actor = fields.actor, !actor.isEmpty else { throw .invalid("missing \"actor\"") }
        // The ledger's rule, checked here so that the error names this line (the batch append
        // would name only the first line of the case's run of lines).
        guard actor.utf8.count <= RecordFormat.maxActorBytes,
              actor.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f })
        else { throw .invalid(LedgerError.invalidActor(actor).description) }
        self.actor = actor
        if let idText = fields.id {
            guard let id = UUID(hyphenated: idText) else { throw .invalid("bad id \"\(idText)\": expected a UUID") }
            self.id = id
        }
        do { request = try EventRequest(type: type, json: fields.data) } catch { throw .invalid(error.description) }
    }

    /// The line, without its newline. Keys in the interchange order.
    public static func line(id: UUID, caseNumber: String, type: EventType, at: Timestamp, actor: String,
                            data: EventData) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("id", id.uuidString.lowercased())
        w.field("case", caseNumber)
        w.field("type", type.name)
        w.field("at", at.chinaTime)
        w.field("actor", actor)
        w.key("data")
        data.writeJSON(into: &w)
        w.endObject()
        return w.bytes
    }
}

/// Why an interchange line or file was refused.
public enum InterchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A problem with one line, before its line number is known.
    case invalid(String)
    /// A refused line of a file: nothing of the file was imported.
    case line(Int, String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        case let .line(n, reason): "line \(n): \(reason); nothing was imported"
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        }
    }
}

extension UUID {
    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case) without Foundation's scanf.
    init?(hyphenated text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { utf8 in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var o = 0
                var i = 0
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard utf8[i] == UInt8(ascii: "-") else { return false }
                        i += 1
                        continue
                    }
                    guard let hi = hexDigit(utf8[i]), let lo = hexDigit(utf8[i + 1]) else { return false }
                    out[o] = hi << 4 | lo
                    o += 1
                    i += 2
                }
                return o == 16
            }
            return ok ? bytes : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }
}

private func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case 48 ... 57: c - 48
    case 97 ... 102: c - 87
    case 65 ... 70: c - 55
    default: nil
    }
}
