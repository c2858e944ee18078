import CaseDomain
import Foundation
import Hummingbird
import Logging

/// The admin's tokens: list (never a hash, never a token), issue (the token shown once, in the
/// answer) and revoke (refused from the next request on). The tokens file is rewritten under the
/// server's lock and read again at once; who issued and who revoked is kept in it. Tokens say
/// who may call the API and at which windows; they are not the ledger's 首席服务员 grants.
struct TokenController {
    let hall: Hall
    private let logger = Logger(label: "ledger.hall.tokens")

    init(hall: Hall) { self.hall = hall }

    func register(on router: HallRoutes) {
        router.get("/tokens") { request, context in try list(request, context) }
        router.post("/tokens") { request, context in try await issue(request, context) }
        router.post("/tokens/{id}/revoke") { request, context in try revoke(request, context) }
    }

    func list(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.admin], to: "list the tokens")
        let file = try hall.liveTokens.followedFile()
        let records = try Self.fileCall { try file.load() }
        return Reply.json { w in
            w.beginObject()
            w.field("count", records.count)
            w.field("live", records.count { $0.revoked == nil })
            w.key("tokens")
            w.beginArray()
            for record in records {
                w.beginObject()
                record.writePublicFields(into: &w)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    func issue(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.requireAdminWrite(to: "issue tokens")
        let body = try await AdminBody.read(request, describing: "a token", allowed: ["name", "role", "windows", "departments"])
        let name = try body.string("name", maxBytes: 64)
        let roleText = try body.string("role", maxBytes: 16)
        guard let role = HallRole(rawValue: roleText) else {
            throw HallError.badRequest("\"role\" must be one of \(HallRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let windows = try body.strings("windows", maxBytes: 16)
        let departments = try body.strings("departments", maxBytes: 100)
        if role == .clerk, windows.isEmpty { throw HallError.badRequest("a clerk's token needs at least one window (\"windows\": [\"W05\"])") }
        if role != .clerk, !windows.isEmpty || !departments.isEmpty {
            throw HallError.badRequest("\"windows\" and \"departments\" are for clerks only")
        }
        try check(windows: windows, departments: departments)
        let principalAsked = Principal(name: name, role: role, windows: Set(windows), departments: Set(departments))
        let issued = try hall.liveTokens.change { file in
            try Self.fileCall {
                // One holder, one role: a second token for the same name (a new device, a rotation) must
                // say the same thing about them, or the log's actor would mean two different people.
                if let held = try file.load().first(where: { $0.revoked == nil && $0.name == name && $0.principal != principalAsked }) {
                    throw HallError(.conflict, "name_in_use",
                                    "\(name) already holds token \(held.id) as \(held.role.rawValue)\(held.windows.isEmpty ? "" : " at " + held.windows.joined(separator: ", ")); revoke it first or choose another name")
                }
                return try file.add(name: name, role: role, windows: windows, departments: departments, issuedBy: principal.name)
            }
        }
        logger.notice("token issued", metadata: ["id": "\(issued.record.id)", "role": "\(role.rawValue)", "by": "\(principal.name)"])
        return Reply.json(status: .created) { w in
            w.beginObject()
            w.field("token", issued.token)
            issued.record.writePublicFields(into: &w)
            w.endObject()
        }
    }

    func revoke(_ request: Request, _ context: HallRequestContext) throws -> Response {
        let principal = try context.requireAdminWrite(to: "revoke tokens")
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count == 12, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw HallError(.badRequest, "bad_token_id", "\"\(id.prefix(40))\" is not a token id (12 lowercase hex digits, from GET /tokens)")
        }
        let (record, wasLive) = try hall.liveTokens.change { file in
            try Self.fileCall { () -> (TokenRecord?, Bool) in
                let before = try file.load().first { $0.id == id }
                guard let before else { return (nil, false) }
                return (try file.revoke(id: id, by: principal.name), before.revoked == nil)
            }
        }
        guard let record else { throw HallError.notFound("no token \(id) (see GET /tokens)") }
        guard wasLive else {
            throw HallError(.conflict, "already_revoked", "token \(id) was revoked at \(record.revoked ?? "?")\(record.revokedBy.map { " by \($0)" } ?? "")")
        }
        logger.notice("token revoked", metadata: ["id": "\(id)", "by": "\(principal.name)"])
        return Reply.json { w in
            w.beginObject()
            record.writePublicFields(into: &w)
            w.endObject()
        }
    }

    /// Windows must be the hall's, departments those of the catalog: a token for a window that does
    /// not exist would work nowhere, and the admin would not know why.
    private func check(windows: [String], departments: [String]) throws {
        for window in windows {
            guard window.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw HallError(.badRequest, "bad_window", "\"\(window.prefix(16))\" is not a window id (e.g. W05)")
            }
            guard hall.windows.isEmpty || hall.windows.contains(where: { $0.id == window }) else {
                throw HallError(.unprocessableContent, "unknown_window",
                                "no window \(window) in the hall (windows: \(hall.windows.map(\.id).joined(separator: ", ")))")
            }
        }
        let known = Set(hall.ledger.catalog.items.values.map(\.department))
        if let unknown = departments.first(where: { !known.contains($0) }) {
            throw HallError(.unprocessableContent, "unknown_department", "no item of the catalog belongs to department \(unknown)")
        }
    }

    /// The tokens file's refusals (mode loosened, not JSON, not writable) are the server's
    /// custodian's to fix, not the caller's.
    private static func fileCall<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as TokenFileError {
            throw HallError(.internalServerError, "tokens_file", "the tokens file cannot be used: \(error.description)")
        }
    }
}

extension TokenRecord {
    /// Everything of the record but its hash.
    func writePublicFields(into w: inout JSONWriter) {
        w.field("id", id)
        w.field("name", name)
        w.field("role", role.rawValue)
        w.field("windows", windows)
        w.field("departments", departments)
        w.field("created", created)
        w.key("revoked")
        if let revoked { w.value(revoked) } else { w.null() }
        w.key("issuedBy")
        if let issuedBy { w.value(issuedBy) } else { w.null() }
        w.key("revokedBy")
        if let revokedBy { w.value(revokedBy) } else { w.null() }
    }
}
