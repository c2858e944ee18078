import CaseDomain
import Foundation
import Hummingbird
import Ledger

/// 首席服务员 grants over HTTP, as `ledger grant add|revoke|list` keeps them: events on the log's
/// ADMIN stream, checked by the rules (the clerk is one of the hall's, their window does not host
/// the department already, the catalog in force has it, no grant twice, no revoking what is not
/// held), with the admin who made them as the actor. A grant is named by the seq of its
/// `departmentGranted` event, so it keeps its id after it is revoked.
struct GrantController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/grants") { request, context in try list(request, context) }
        router.post("/grants") { request, context in try await grant(request, context) }
        router.post("/grants/{id}/revoke") { request, context in try await revoke(request, context) }
    }

    func list(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.admin, .manager, .auditor], to: "read the grants")
        let input = RequestInput(request: request, context: context)
        let asOf = try input.moment("asOf")
        let clerk = input.query("clerk")
        if let clerk, !(1 ... 64).contains(clerk.utf8.count) { throw HallError.badRequest("?clerk must be 1 to 64 bytes (e.g. clerk-06)") }
        let grants = try GrantBook.read(from: hall.store).periods.filter { grant in
            (asOf.map(grant.covers) ?? true) && (clerk.map { $0 == grant.clerk } ?? true)
        }
        return Reply.json { w in
            w.beginObject()
            w.key("asOf")
            if let asOf { w.value(asOf.chinaTime) } else { w.null() }
            w.field("count", grants.count)
            w.key("grants")
            w.beginArray()
            for grant in grants {
                w.beginObject()
                write(grant, into: &w)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    func grant(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.requireAdminWrite(to: "grant departments")
        let body = try await AdminBody.read(request, describing: "a grant", allowed: ["clerk", "department", "at"])
        let grant = DepartmentGrant(clerk: try body.string("clerk", maxBytes: 64), department: try body.string("department", maxBytes: 100))
        let at = try body.moment("at") ?? .now()
        let id = try AdminBody.eventID(request, actor: principal.name, stream: .administration)
        let position = try await hall.ledger.recordGrant(.departmentGranted(grant), at: at, actor: principal.name, id: id)
        guard let recorded = try GrantBook.read(from: hall.store).periods.first(where: { $0.seq == position.seq }) else {
            throw HallError(.internalServerError, "internal", "the grant was recorded at seq \(position.seq) but cannot be read back")
        }
        return Reply.json(status: .created) { w in
            w.beginObject()
            write(recorded, into: &w)
            w.endObject()
        }
    }

    func revoke(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.requireAdminWrite(to: "revoke grants")
        let raw = context.parameters.get("id") ?? ""
        guard let seq = UInt64(raw), seq > 0, raw.utf8.count <= 20 else {
            throw HallError(.badRequest, "bad_grant_id", "\"\(raw.prefix(40))\" is not a grant id (the seq GET /grants gives)")
        }
        guard let held = try GrantBook.read(from: hall.store).periods.first(where: { $0.seq == seq }) else {
            throw HallError.notFound("no grant \(seq) (see GET /grants)")
        }
        if let revokedAt = held.revokedAt {
            throw HallError(.conflict, "already_revoked",
                            "grant \(seq) (\(held.department) to \(held.clerk)) was revoked at \(revokedAt.chinaTime) by \(held.revokedBy ?? "?")")
        }
        let body = try await AdminBody.read(request, describing: "a revocation", allowed: ["at"], optional: true)
        let at = try body.moment("at") ?? .now()
        let id = try AdminBody.eventID(request, actor: principal.name, stream: .administration)
        try await hall.ledger.recordGrant(.departmentGrantRevoked(DepartmentGrant(clerk: held.clerk, department: held.department)),
                                          at: at, actor: principal.name, id: id)
        let revoked = try GrantBook.read(from: hall.store).periods.first { $0.seq == seq } ?? held
        return Reply.json { w in
            w.beginObject()
            write(revoked, into: &w)
            w.endObject()
        }
    }

    private func write(_ grant: GrantBook.Period, into w: inout JSONWriter) {
        w.field("id", Int(grant.seq ?? 0))
        w.field("clerk", grant.clerk)
        w.key("window")
        if let window = hall.ledger.hall?.window(ofClerk: grant.clerk)?.id { w.value(window) } else { w.null() }
        w.field("department", grant.department)
        w.field("grantedAt", grant.grantedAt.chinaTime)
        w.field("grantedBy", grant.grantedBy)
        w.key("revokedAt")
        if let revokedAt = grant.revokedAt { w.value(revokedAt.chinaTime) } else { w.null() }
        w.key("revokedBy")
        if let revokedBy = grant.revokedBy { w.value(revokedBy) } else { w.null() }
        w.field("inForce", grant.revokedAt == nil)
    }
}
