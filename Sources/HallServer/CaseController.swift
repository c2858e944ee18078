import CaseDomain
import CaseStateProjection
import Foundation
import Hummingbird
import Ledger
import NIOCore

/// One case: record events, read its state, read its history.
struct CaseController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.post("/cases/{case}/events") { request, context in try await record(request, context) }
        router.get("/cases/{case}") { request, context in
            // One address for the API and the auditor's page: a browser asks for HTML.
            if request.headers[.accept]?.contains("text/html") == true {
                return try CasePage(hall: hall).render(request, context)
            }
            return try await state(request, context)
        }
        router.get("/cases/{case}/history") { request, context in try history(request, context) }
    }

    // MARK: Writing

    func record(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk, .manager], to: "record case events")
        guard !context.viaCookie else {
            throw HallError.forbidden("events are recorded with an Authorization: Bearer header, not the pages' cookie")
        }
        let input = RequestInput(request: request, context: context)
        let caseNumber = try input.caseNumber()
        // The catalog, the grants and the access log are not cases: an admin changes the first two
        // through their own routes, and only the vault writes the third.
        guard !caseNumber.isReferenceStream else {
            throw HallError.forbidden("\(caseNumber.rawValue) is no case: the catalog is changed at POST /catalog, grants at POST /grants (admin), and the access log is written by contact reads")
        }
        var expected: ExpectedVersion?
        if let match = request.headers[.ifMatch] {
            let trimmed = match.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
            guard let version = UInt32(trimmed) else { throw HallError.badRequest("If-Match must be the case's version, e.g. \"3\"") }
            expected = .exact(version)
        } else if request.headers[.ifNoneMatch] == "*" {
            expected = .noStream
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: hall.limits.maxBodyBytes) } catch is NIOTooManyBytesError {
            throw HallError(.contentTooLarge, "too_large",
                            "the request body is larger than \(hall.limits.maxBodyBytes) bytes; send fewer events per request")
        }
        let key = request.headers[.idempotencyKey]
        if let key, key.utf8.count > 200 { throw HallError.badRequest("Idempotency-Key is longer than 200 bytes") }
        var parsed = try EventRequestBody(Array(buffer: body), caseNumber: caseNumber, actor: principal.name, idempotencyKey: key,
                                          maxEvents: hall.limits.maxEventsPerRequest, now: .now())
        if let bodyExpected = parsed.expected {
            if let expected, expected != bodyExpected {
                throw HallError.badRequest("If-Match and the body's expectedVersion disagree")
            }
            expected = bodyExpected
        }
        parsed.expected = expected
        try authorize(principal, toWrite: parsed.drafts, to: caseNumber)
        let started = ContinuousClock.now
        let recorded: RecordedBatch
        do {
            recorded = try await hall.ledger.record(parsed.drafts, to: caseNumber, actor: principal.name, expected: expected)
        } catch {
            hall.metrics.refusedAppends.increment()
            throw error
        }
        hall.metrics.appendSeconds.record(ContinuousClock.now - started)
        if !recorded.alreadyRecorded {
            hall.metrics.appends.increment()
            hall.metrics.appendedEvents.increment(by: Int64(recorded.positions.count))
            hall.metrics.eventsPerAppend.record(Double(recorded.positions.count))
        }
        let last = recorded.positions.last!
        // Read-your-writes: answer once the views show the events (bounded), so this client's
        // next GET sees them.
        let seen = await hall.readable(after: last.seq)
        var headers = HTTPFields()
        headers[.location] = "/cases/\(caseNumber.rawValue)"
        headers[.eTag] = "\"\(last.version)\""
        return Reply.json(status: .created, checkpoint: seen, headers: headers) { w in
            w.beginObject()
            w.field("case", caseNumber.rawValue)
            w.key("positions")
            w.beginArray()
            for position in recorded.positions {
                w.beginObject()
                w.field("seq", Int(position.seq))
                w.field("version", Int(position.version))
                w.endObject()
            }
            w.endArray()
            w.field("version", Int(last.version))
            w.field("alreadyRecorded", recorded.alreadyRecorded)
            w.field("checkpoint", Int(seen))
            w.endObject()
        }
    }

    /// A clerk acts on the cases at their windows (and, as 首席服务员, on the items of the
    /// departments their token names or the ledger grants them now), takes new submissions, and
    /// accepts only at their own windows. Managers act everywhere.
    func authorize(_ principal: Principal, toWrite drafts: [CaseEventDraft], to caseNumber: CaseNumber) throws {
        guard principal.role == .clerk else { return }
        let file = try hall.ledger.file(of: caseNumber)
        let item = file.acceptance?.item ?? file.submission?.item
        let department = item.flatMap { hall.ledger.catalog[$0]?.department }
        let granted = department.map { hall.reaches(principal, department: $0) } ?? false
        if let window = file.window, !principal.windows.contains(window), !granted {
            throw HallError.forbidden("case \(caseNumber.rawValue) is at window \(window); this token acts for \(Self.list(principal.windows))")
        }
        for draft in drafts {
            let acceptance: (item: String, window: String)?
            switch draft.request {
            case .accept(let a): acceptance = (a.item, a.window)
            case .record(.accepted(let a)): acceptance = (a.item, a.window)
            case .record: acceptance = nil
            }
            if let acceptance, !principal.windows.contains(acceptance.window) {
                let itemDepartment = hall.ledger.catalog[acceptance.item]?.department
                guard let itemDepartment, principal.departments.contains(itemDepartment) else {
                    throw HallError.forbidden("this token accepts cases at \(Self.list(principal.windows)), not at \(acceptance.window)")
                }
            }
        }
    }

    static func list(_ windows: Set<String>) -> String { windows.isEmpty ? "no window" : windows.sorted().joined(separator: ", ") }

    // MARK: Reading

    func state(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk, .manager, .auditor], to: "read a case")
        let input = RequestInput(request: request, context: context)
        let caseNumber = try input.caseNumber()
        let asOf = try input.moment("asOf")
        let seen = await hall.readable(after: try input.after())
        let report: CaseStateReport?
        do {
            if let asOf {
                report = try hall.queries.state(of: caseNumber, asOf: asOf)
            } else {
                report = try hall.queries.state(of: caseNumber, today: hall.today)
            }
        } catch let error as CalendarError {
            throw HallError.badRequest("the day is outside the loaded calendars: \(error)")
        }
        guard let report else { throw HallError.notFound("case \(caseNumber.rawValue) has no events\(asOf.map { " by \($0)" } ?? "")") }
        if principal.role == .clerk, let window = report.window, !principal.windows.contains(window),
           !(report.item.flatMap { hall.ledger.catalog[$0]?.department }.map { hall.reaches(principal, department: $0) } ?? false) {
            throw HallError.forbidden("case \(caseNumber.rawValue) is at window \(window); this token reads \(Self.list(principal.windows))")
        }
        let version = try hall.store.version(of: caseNumber)
        var headers = HTTPFields()
        if let version, asOf == nil { headers[.eTag] = "\"\(version)\"" }
        return Reply.json(checkpoint: seen, headers: headers) { w in
            w.beginObject()
            w.key("case")
            report.writeJSON(into: &w)
            w.key("version")
            if let version, asOf == nil { w.value(Int(version)) } else { w.null() }
            w.key("asOf")
            if let asOf { w.value(asOf.chinaTime) } else { w.null() }
            w.field("checkpoint", Int(seen))
            w.endObject()
        }
    }

    func history(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.manager, .auditor], to: "read a case's history")
        let caseNumber = try RequestInput(request: request, context: context).caseNumber()
        let events = try CaseHistory.read(caseNumber, from: hall.store)
        guard !events.isEmpty else { throw HallError.notFound("case \(caseNumber.rawValue) has no events") }
        return Reply.json { w in
            w.beginObject()
            w.field("case", caseNumber.rawValue)
            w.key("events")
            w.beginArray()
            for event in events {
                w.beginObject()
                w.field("seq", Int(event.seq))
                w.field("version", Int(event.version))
                w.field("id", event.id.uuidString.lowercased())
                w.field("type", event.type.name)
                w.field("at", event.at.chinaTime)
                w.field("actor", event.actor)
                w.key("data")
                if let data = event.data { data.writeJSON(into: &w) } else { w.null() }
                w.field("hash", event.hash)
                w.field("chainOK", event.chainOK)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }
}

/// A case's events with their chain links checked, for the history route and the auditor's page.
struct CaseHistory {
    var seq: UInt64
    var version: UInt32
    var id: UUID
    var type: EventType
    var at: Timestamp
    var actor: String
    var data: EventData?
    var hash: String
    /// The record re-hashes to its link from the record before it.
    var chainOK: Bool

    static func read(_ caseNumber: CaseNumber, from store: EventStore) throws -> [CaseHistory] {
        var events: [CaseHistory] = []
        try store.scan(of: caseNumber) { view in
            events.append(CaseHistory(seq: view.seq, version: view.version, id: view.id, type: try view.type, at: view.at, actor: view.actor,
                                      data: try? view.data(), hash: view.hash.hex, chainOK: false))
            return true
        }
        for i in events.indices {
            events[i].chainOK = (try? store.verify(from: events[i].seq, through: events[i].seq)) != nil
        }
        return events
    }
}

extension Hall {
    /// Whether a 首席服务员 reaches the cases of `department`'s items beyond their windows: their
    /// token names it, or the ledger grants it to them now.
    func reaches(_ principal: Principal, department: String) -> Bool {
        principal.departments.contains(department)
            || ledger.grants.isGranted(clerk: principal.name, department: department, at: .now())
    }
}
