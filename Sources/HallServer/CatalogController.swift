import CaseDomain
import Foundation
import Hummingbird
import Ledger

/// The catalog of service items (政务服务事项目录) as it stood at a moment: replayed from the
/// catalog stream, so an item's limits on the day a case was accepted can be looked up later.
/// Published with `ledger import --catalog`; read here by every role.
struct CatalogController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/catalog") { request, context in try list(request, context) }
        router.get("/catalog/{item}") { request, context in try item(request, context) }
    }

    func list(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require(Set(HallRole.allCases), to: "read the catalog")
        let asOf = try RequestInput(request: request, context: context).moment("asOf")
        let catalog = try CatalogHistory.read(from: hall.store, asOf: asOf)
        return Reply.json { w in
            w.beginObject()
            w.key("asOf")
            if let asOf { w.value(asOf.chinaTime) } else { w.null() }
            w.field("count", catalog.items.count)
            w.key("items")
            w.beginArray()
            for code in catalog.items.keys.sorted() {
                w.beginObject()
                catalog.items[code]!.writeFields(into: &w)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    func item(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require(Set(HallRole.allCases), to: "read the catalog")
        let input = RequestInput(request: request, context: context)
        let code = try input.itemCode()
        let asOf = try input.moment("asOf")
        let catalog = try CatalogHistory.read(from: hall.store, asOf: asOf)
        guard let item = catalog.items[code] else {
            throw HallError.notFound("no item \(code) in the catalog\(asOf.map { " as of \($0.chinaTime)" } ?? "")")
        }
        return Reply.json { w in
            w.beginObject()
            w.key("asOf")
            if let asOf { w.value(asOf.chinaTime) } else { w.null() }
            w.key("item")
            w.beginObject()
            item.writeFields(into: &w)
            w.endObject()
            w.key("revisions")
            w.beginArray()
            for revision in catalog.revisions[code] ?? [] {
                w.beginObject()
                w.field("seq", Int(revision.seq))
                w.field("type", revision.type.name)
                w.field("at", revision.at.chinaTime)
                w.field("actor", revision.actor)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }
}

/// The catalog stream replayed up to a moment: the items then in force and, per item, the events
/// that published and revised it.
struct CatalogHistory {
    struct Revision {
        let seq: UInt64
        let type: EventType
        let at: Timestamp
        let actor: String
    }

    var items: [String: CatalogItem] = [:]
    var revisions: [String: [Revision]] = [:]

    static func read(from store: EventStore, asOf moment: Timestamp?) throws -> CatalogHistory {
        var history = CatalogHistory()
        var catalog = Catalog()
        try store.scan(of: CaseNumber.catalog) { view in
            if let moment, view.at > moment { return false }
            let data = try view.data()
            catalog.apply(data)
            switch data {
            case .itemPublished(let item), .itemRevised(let item):
                history.revisions[item.code, default: []].append(Revision(seq: view.seq, type: data.type, at: view.at, actor: view.actor))
            default: break
            }
            return true
        }
        history.items = catalog.items
        return history
    }
}

extension RequestInput {
    /// A catalog item's code (e.g. LZH-Q-0001): letters, digits, '-', '_' and '.', at most 64 bytes.
    func itemCode() throws -> String {
        let raw = context.parameters.get("item") ?? ""
        guard (1 ... 64).contains(raw.utf8.count),
              raw.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { throw HallError(.badRequest, "bad_item_code", "\"\(raw.prefix(40))\" is not a catalog item code (e.g. LZH-Q-0001)") }
        return raw
    }
}
