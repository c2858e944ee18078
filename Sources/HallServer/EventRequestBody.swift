import CaseDomain
import Foundation
import Ledger

/// The body of `POST /cases/{case}/events`: one event in the interchange format, a list of them,
/// or `{"expectedVersion": N | "noStream", "events": [...]}`. The case comes from the path and the
/// actor from the token: an event may repeat them, not contradict them.
struct EventRequestBody {
    var drafts: [CaseEventDraft]
    var expected: ExpectedVersion?

    private static let eventFields: Set<String> = ["id", "case", "type", "at", "actor", "data"]

    /// - Parameters:
    ///   - idempotencyKey: events without an id get one derived from the key (and their index), so a
    ///     retry with the same key is recorded once.
    init(_ bytes: [UInt8], caseNumber: CaseNumber, actor: String, idempotencyKey: String?, maxEvents: Int, now: Timestamp) throws {
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch {
            throw HallError(.badRequest, "malformed_json", "the body is not JSON: \(error)")
        }
        var list: [JSONValue]
        switch value {
        case .array(let items): list = items
        case .object(let object) where object["events"] != nil:
            if let unknown = object.keys.sorted().first(where: { $0 != "events" && $0 != "expectedVersion" }) {
                throw HallError.badRequest("unknown field \"\(unknown.prefix(40))\" (the envelope has expectedVersion and events)")
            }
            guard case .array(let items)? = object["events"] else { throw HallError.badRequest("\"events\" must be an array of events") }
            list = items
            switch object["expectedVersion"] {
            case nil, .null?: break
            case .integer(let v)? where v >= 0 && v <= Int64(UInt32.max): expected = .exact(UInt32(v))
            case .string("noStream")?: expected = .noStream
            default: throw HallError.badRequest("\"expectedVersion\" must be a version (0, 1, …) or \"noStream\"")
            }
        case .object: list = [value]
        default: throw HallError.badRequest("the body must be an event object, an array of events, or {\"events\": […]}")
        }
        guard !list.isEmpty else { throw HallError.badRequest("no events in the body") }
        guard list.count <= maxEvents else {
            throw HallError(.contentTooLarge, "too_many_events", "\(list.count) events in one request; at most \(maxEvents) are allowed")
        }
        drafts = []
        for (index, item) in list.enumerated() {
            do {
                drafts.append(try Self.draft(item, index: index, caseNumber: caseNumber, actor: actor, idempotencyKey: idempotencyKey, now: now))
            } catch let error as HallError {
                var error = error
                if list.count > 1 { error.message = "event \(index + 1): " + error.message }
                throw error
            }
        }
    }

    private static func draft(_ item: JSONValue, index: Int, caseNumber: CaseNumber, actor: String,
                              idempotencyKey: String?, now: Timestamp) throws -> CaseEventDraft {
        guard case .object(let object) = item else { throw HallError.badRequest("an event must be a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !eventFields.contains($0) }) {
            throw HallError.badRequest("unknown field \"\(unknown.prefix(40))\" (an event has id, type, at, data; case and actor are optional)")
        }
        func text(_ key: String) throws -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw HallError.badRequest("\"\(key)\" must be a string")
            }
        }
        if let named = try text("case"), named != caseNumber.rawValue {
            throw HallError.badRequest("the event names case \(named.prefix(40)) but was posted to \(caseNumber.rawValue)")
        }
        if let named = try text("actor"), named != actor {
            throw HallError.badRequest("the actor is the token's holder (\(actor)); leave \"actor\" out")
        }
        guard let typeName = try text("type") else { throw HallError.badRequest("missing \"type\"") }
        guard let type = EventType(name: typeName), type != .itemPublished, type != .itemRevised else {
            throw HallError.badRequest("unknown case event type \"\(typeName.prefix(40))\"")
        }
        var at = now
        if let atText = try text("at") {
            guard let parsed = Timestamp(rfc3339: atText) else {
                throw HallError.badRequest("bad \"at\": use RFC 3339 with a zone, e.g. 2023-09-28T10:00:00+08:00")
            }
            at = parsed
        }
        let request: EventRequest
        do { request = try EventRequest(type: type, json: object["data"]) } catch {
            throw HallError(.badRequest, "bad_data", error.description)
        }
        let id: UUID
        if let idText = try text("id") {
            guard let parsed = UUID(uuidString: idText) else { throw HallError.badRequest("bad \"id\": expected a UUID") }
            id = parsed
        } else if let idempotencyKey {
            id = NewEvent.contentID(line: Array("\(actor)\u{1F}\(caseNumber.rawValue)\u{1F}\(idempotencyKey)\u{1F}\(index)".utf8))
        } else {
            id = .timeOrdered()
        }
        return CaseEventDraft(id: id, request: request, at: at)
    }
}
