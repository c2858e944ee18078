import CaseDomain
import Foundation
import Hummingbird
import Ledger
import NIOCore

/// The JSON object an admin's write sends (a token, a grant, a catalog change): read whole, at
/// most 16 KiB, every field checked and unknown ones refused, so a misspelt field is a 400 and not
/// silently ignored.
struct AdminBody {
    static let maxBytes = 16 * 1024

    let fields: [String: JSONValue]
    /// What the body describes, for the messages ("a token", "a grant").
    let what: String

    /// Reads the request's body; 413 beyond `maxBytes`, 400 when it is not a JSON object or has
    /// fields other than `allowed`.
    /// With `optional`, an empty body reads as an object with no fields.
    static func read(_ request: Request, describing what: String, allowed: Set<String>, optional: Bool = false) async throws -> AdminBody {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBytes) } catch is NIOTooManyBytesError {
            throw HallError(.contentTooLarge, "too_large", "\(what)'s body is at most \(maxBytes / 1024) KiB")
        }
        if optional, buffer.readableBytes == 0 { return AdminBody(fields: [:], what: what) }
        guard case .object(let fields)? = try? JSONValue(parsing: Array(buffer: buffer)) else {
            throw HallError.badRequest("the body must be a JSON object describing \(what) (see /openapi.yaml)")
        }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw HallError.badRequest("\(what) has no field \"\(unknown.prefix(40))\" (fields: \(allowed.sorted().joined(separator: ", ")))")
        }
        return AdminBody(fields: fields, what: what)
    }

    /// A required string of 1 to `maxBytes` bytes without control characters.
    func string(_ name: String, maxBytes: Int) throws -> String {
        guard let text = try optionalString(name, maxBytes: maxBytes) else {
            throw HallError.badRequest("\(what) needs \"\(name)\" (a string)")
        }
        return text
    }

    func optionalString(_ name: String, maxBytes: Int) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard (1 ... maxBytes).contains(text.utf8.count), !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
            else { throw HallError.badRequest("\"\(name)\" must be 1 to \(maxBytes) bytes without control characters") }
            return text
        default: throw HallError.badRequest("\"\(name)\" must be a string")
        }
    }

    /// An optional array of strings (empty when absent), each as `string` checks it.
    func strings(_ name: String, maxBytes: Int, maxCount: Int = 64) throws -> [String] {
        switch fields[name] {
        case nil, .null?: return []
        case .array(let values)?:
            guard values.count <= maxCount else { throw HallError.badRequest("\"\(name)\" holds at most \(maxCount) entries") }
            return try values.map { value in
                guard case .string(let text) = value, (1 ... maxBytes).contains(text.utf8.count),
                      !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
                else { throw HallError.badRequest("\"\(name)\" must be an array of strings of 1 to \(maxBytes) bytes") }
                return text
            }
        default: throw HallError.badRequest("\"\(name)\" must be an array of strings")
        }
    }

    /// A moment: RFC 3339, or YYYY-MM-DD for 00:00 that day in China Standard Time.
    func moment(_ name: String) throws -> Timestamp? {
        guard let text = try optionalString(name, maxBytes: 64) else { return nil }
        if let moment = Timestamp(rfc3339: text) { return moment }
        if let day = CivilDate(iso: text) { return Timestamp(startOf: day) }
        throw HallError.badRequest("\"\(name)\" must be RFC 3339 (2024-01-01T00:00:00+08:00) or YYYY-MM-DD (00:00 that day, CST)")
    }

    /// The event id a write gets from `Idempotency-Key`, so a retried request records its event once.
    static func eventID(_ request: Request, actor: String, stream: CaseNumber) throws -> UUID {
        guard let key = request.headers[.idempotencyKey] else { return .timeOrdered() }
        guard (1 ... 200).contains(key.utf8.count) else { throw HallError.badRequest("Idempotency-Key must be 1 to 200 bytes") }
        return NewEvent.contentID(line: Array("\(actor)\u{1F}\(stream.rawValue)\u{1F}\(key)".utf8))
    }
}

extension HallRequestContext {
    /// An admin's write: the admin role, with an `Authorization: Bearer` header (a forged
    /// cross-site request carries the pages' cookie, never the header).
    func requireAdminWrite(to action: String) throws -> Principal {
        let principal = try require([.admin], to: action)
        guard !viaCookie else {
            throw HallError.forbidden("an admin's changes are made with an Authorization: Bearer header, not the pages' cookie")
        }
        return principal
    }
}
