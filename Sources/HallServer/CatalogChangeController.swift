import CaseDomain
import Foundation
import Hummingbird
import Ledger

/// An admin's changes to the catalog: a new item (`itemPublished`) or a new version of one
/// (`itemRevised`: new time limits, a new name…), each coming into force at its `effective`
/// moment — the event's time, as `ledger import --catalog --at` dates a catalog file. Both go
/// through the rules-checked ledger onto the catalog stream, the admin as the actor; the rules
/// refuse (422, nothing written) an item published twice, a revision of an item not in the
/// catalog, and a revision dated before the version it replaces.
struct CatalogChangeController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.post("/catalog") { request, context in try await change(request, context, revising: nil) }
        router.post("/catalog/{item}") { request, context in
            try await change(request, context, revising: try RequestInput(request: request, context: context).itemCode())
        }
    }

    /// Publishes the body's item (`revising` nil) or revises the item at `revising`.
    func change(_ request: Request, _ context: HallRequestContext, revising code: String?) async throws -> Response {
        let principal = try context.requireAdminWrite(to: "change the catalog")
        let body = try await AdminBody.read(request, describing: "a catalog change", allowed: ["effective", "item"])
        guard let effective = try body.moment("effective") else {
            throw HallError.badRequest("a catalog change needs \"effective\": when it comes into force (YYYY-MM-DD or RFC 3339)")
        }
        let type: EventType = code == nil ? .itemPublished : .itemRevised
        let data: EventData
        do { data = try EventData(type: type, json: body.fields["item"]) } catch {
            throw HallError.badRequest("\"item\": \(error.description)")
        }
        let item: CatalogItem
        switch data {
        case .itemPublished(let published): item = published
        case .itemRevised(let revised): item = revised
        default: throw HallError.badRequest("\"item\" is not a catalog item")
        }
        if let code, item.code != code {
            throw HallError.badRequest("the body's item \(item.code.prefix(64)) is not \(code), the path's; a revision keeps its item's code")
        }
        guard item.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw HallError(.badRequest, "bad_item_code", "\"\(item.code.prefix(40))\" is not a catalog item code (e.g. LZH-Q-0001)")
        }
        return try await record(data, item: item, at: effective, principal: principal, request: request)
    }

    private func record(_ data: EventData, item: CatalogItem, at effective: Timestamp, principal: Principal,
                        request: Request) async throws -> Response {
        let id = try AdminBody.eventID(request, actor: principal.name, stream: .catalog)
        let position = try await hall.ledger.record(data, to: .catalog, at: effective, actor: principal.name, id: id)
        var headers = HTTPFields()
        headers[.location] = "/catalog/\(item.code)"
        return Reply.json(status: .created, headers: headers) { w in
            w.beginObject()
            w.field("seq", Int(position.seq))
            w.field("type", data.type.name)
            w.field("effective", effective.chinaTime)
            w.field("actor", principal.name)
            w.key("item")
            w.beginObject()
            item.writeFields(into: &w)
            w.endObject()
            w.endObject()
        }
    }
}
