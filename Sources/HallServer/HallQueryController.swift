import CaseDomain
import CaseStateProjection
import Foundation
import Hummingbird
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// The hall's lists (queue, due, overdue, bad reviews), the reports and the chain.
struct HallQueryController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/windows/{window}/queue") { request, context in try await queue(request, context) }
        router.get("/due") { request, context in try await due(request, context) }
        router.get("/overdue") { request, context in try await overdue(request, context) }
        router.get("/bad-reviews") { request, context in try await badReviews(request, context) }
        router.get("/reports/{name}") { request, context in try await report(request, context) }
        router.get("/digest") { request, context in try digest(request, context) }
        router.get("/verify") { request, context in try verify(request, context) }
    }

    /// Runs a view query; a day outside the loaded calendars is the caller's mistake.
    private func counting<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as CalendarError {
            throw HallError(.serviceUnavailable, "outside_calendar", "the hall's day is outside the loaded calendars: \(error)")
        }
    }

    func queue(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk, .manager, .auditor], to: "read a window's queue")
        let input = RequestInput(request: request, context: context)
        let window = try input.window(context.parameters.get("window"), in: hall)!
        if principal.role == .clerk, !principal.windows.contains(window) {
            throw HallError.forbidden("this token reads the queues of \(CaseController.list(principal.windows)), not \(window)")
        }
        let seen = await hall.readable(after: try input.after())
        let today = hall.today
        let cases = try counting { try hall.queries.queue(window: window, today: today) }
        return Reply.json(checkpoint: seen) { w in
            w.beginObject()
            w.field("window", window)
            w.key("name")
            if let name = hall.windowName(window) { w.value(name) } else { w.null() }
            w.field("today", today.description)
            w.field("checkpoint", Int(seen))
            w.cases("cases", cases)
            w.endObject()
        }
    }

    /// The windows a list covers: the one asked for, or a clerk's own, or all (nil).
    private func windows(_ input: RequestInput, _ principal: Principal) throws -> [String]? {
        let window = try input.window(input.query("window"), in: hall)
        if principal.role == .clerk {
            if let window {
                guard principal.windows.contains(window) else {
                    throw HallError.forbidden("this token reads \(CaseController.list(principal.windows)), not \(window)")
                }
                return [window]
            }
            return principal.windows.sorted()
        }
        return window.map { [$0] }
    }

    func due(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk, .manager, .auditor], to: "read what is due")
        let input = RequestInput(request: request, context: context)
        guard let within = try input.integer("within", in: 0 ... 250) else {
            throw HallError.badRequest("?within is required: working days after today to look ahead (0: due today)")
        }
        let windows = try windows(input, principal)
        let seen = await hall.readable(after: try input.after())
        let today = hall.today
        let cases = try counting {
            guard let windows else { return try hall.queries.due(withinWorkingDays: within, today: today) }
            return try windows.flatMap { window in try hall.queries.due(withinWorkingDays: within, today: today, window: window) }
        }
        return list(cases, today: today, seen: seen, extra: ("within", within))
    }

    func overdue(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk, .manager, .auditor], to: "read what is overdue")
        let input = RequestInput(request: request, context: context)
        let windows = try windows(input, principal)
        let seen = await hall.readable(after: try input.after())
        let today = hall.today
        let cases = try counting {
            guard let windows else { return try hall.queries.overdue(today: today) }
            return try windows.flatMap { window in try hall.queries.overdue(today: today, window: window) }
        }
        return list(cases, today: today, seen: seen, extra: nil)
    }

    private func list(_ cases: [CaseStateReport], today: CivilDate, seen: UInt64, extra: (String, Int)?) -> Response {
        Reply.json(checkpoint: seen) { w in
            w.beginObject()
            w.field("today", today.description)
            if let extra { w.field(extra.0, extra.1) }
            w.field("checkpoint", Int(seen))
            w.field("count", cases.count)
            w.cases("cases", cases)
            w.endObject()
        }
    }

    /// What the evaluations view holds today: each open 差评 with its rectification deadline, and
    /// the counts of those rectified (in time and late) from the report; and the 差评 work queue
    /// as `ledger bad-reviews` lists it — each review's stage in the loop, the deadline it waits
    /// for, every step's deadline and the time each step was taken.
    func badReviews(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        _ = try context.require([.manager, .auditor], to: "read the bad reviews")
        let input = RequestInput(request: request, context: context)
        let open = try input.flag("open") ?? true
        let dueWithin = try input.integer("dueWithin", in: 0 ... 250)
        let window = try input.window(input.query("window"), in: hall)
        let seen = await hall.readable(after: try input.after())
        let today = hall.today
        var rows = open ? try hall.openBadReviews() : []
        if let dueWithin {
            let limit = try counting { try hall.ledger.calendar.deadline(acceptedOn: today, workingDays: dueWithin) }
            rows = rows.filter { $0.row.deadline.map { $0 <= limit } ?? false }
        }
        if let window { rows = rows.filter { $0.row.keys.window == window } }
        let queue = BadReviewQueue(limits: hall.badReviewLimits, calendar: hall.ledger.calendar, today: today)
        let files = try hall.queries.read { try $0.filesWithBadReviews() }
        let reviews = try counting {
            try queue.entries(files, filter: .init(openOnly: open || dueWithin != nil, dueWithin: dueWithin, window: window))
        }
        // Each review as `ledger bad-reviews --format json` prints it: its own Codable form.
        let reviewsJSON = try reviews.map { try Hall.json($0).dropLast() }
        let totals = try hall.evaluationsReport(.all, by: .quarter).total
        return Reply.json(checkpoint: seen) { w in
            w.beginObject()
            w.field("today", today.description)
            w.field("checkpoint", Int(seen))
            w.key("totals")
            w.beginObject()
            w.field("badReviews", totals.badReviews)
            w.field("rectifiedInTime", totals.rectifiedInTime)
            w.field("rectifiedLate", totals.rectifiedLate)
            w.field("open", totals.unrectified)
            w.field("openOverdue", totals.unrectifiedOverdue)
            w.endObject()
            w.key("open")
            w.beginArray()
            for (caseNumber, row) in rows {
                w.beginObject()
                w.field("case", caseNumber)
                w.field("window", row.keys.window)
                w.field("item", row.keys.item)
                w.field("reviewedOn", row.reviewedOn.description)
                w.key("deadline")
                if let deadline = row.deadline { w.value(deadline.description) } else { w.null() }
                w.field("overdue", row.isOverdue(asOf: today))
                w.endObject()
            }
            w.endArray()
            w.field("count", reviews.count)
            w.key("reviews")
            w.beginArray()
            for review in reviewsJSON { w.value(json: review) }
            w.endArray()
            w.endObject()
        }
    }

    func report(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        _ = try context.require([.manager, .analyst, .auditor], to: "read the reports")
        let input = RequestInput(request: request, context: context)
        let raw = context.parameters.get("name") ?? ""
        guard let name = Hall.ReportName(rawValue: raw) else {
            throw HallError.notFound("no report \"\(raw.prefix(40))\" (reports: \(Hall.ReportName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let period = try input.period()
        let dimension = try input.dimension()
        let format = input.query("format") ?? "json"
        guard format == "json" || format == "csv" else { throw HallError.badRequest("?format must be json or csv") }
        let seen = await hall.readable(after: try input.after())
        let bytes = try hall.report(name, period: period, by: dimension, csv: format == "csv")
        if format == "csv" {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(name.rawValue).csv\""
            headers[.hallCheckpoint] = String(seen)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return Reply.json(bytes, checkpoint: seen)
    }

    func digest(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require(Set(HallRole.allCases), to: "read the digest")
        let digest = try hall.store.digest()
        // The published form is what `ledger digest` prints: tree size and root.
        let published = try hall.store.treeHead()
        return Reply.json { w in
            w.beginObject()
            w.field("seq", Int(digest.seq))
            w.field("hash", digest.hash.hex)
            w.field("digest", published.description)
            w.endObject()
        }
    }

    func verify(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.auditor, .manager], to: "verify the chain")
        let input = RequestInput(request: request, context: context)
        let head = try hall.store.digest().seq
        let from = try input.integer("from", in: 1 ... Int.max) ?? 1
        let to = try input.integer("to", in: 1 ... Int.max) ?? Int(head)
        guard from <= to, UInt64(to) <= max(head, 1) else {
            throw HallError.badRequest("?from and ?to must satisfy 1 ≤ from ≤ to ≤ \(head) (the log's last seq)")
        }
        do {
            let report = try hall.store.verify(from: UInt64(from), through: UInt64(to))
            return Reply.json { w in
                w.beginObject()
                w.field("ok", true)
                w.field("from", Int(report.first))
                w.field("to", Int(report.last))
                w.field("checked", Int(report.checked))
                w.field("digest", report.treeDigest.map(\.description) ?? report.digest.description)
                w.endObject()
            }
        } catch let failure as VerificationFailure {
            return Reply.json { w in
                w.beginObject()
                w.field("ok", false)
                w.field("firstBadSeq", Int(failure.seq))
                w.field("reason", failure.description)
                w.endObject()
            }
        }
    }
}

extension Hall {
    /// The evaluations view's bad reviews not rectified yet, each with its case number (the view's key).
    func openBadReviews() throws -> [(caseNumber: String, row: OpenBadReviewRow)] {
        try runner.read(evaluations.name) { reader in
            let db: Database<String, [UInt8]> = reader.databases("openBadReviews")
            // The rows come in key order; the keys (case number, unit separator, ordinal) in the same.
            let keys = try reader.transaction.withCursor(db) { cursor -> [String] in
                var keys: [String] = []
                var entry = try cursor.first()
                while let (key, _) = entry {
                    keys.append(String(decoding: key, as: UTF8.self).split(separator: "\u{1F}").first.map(String.init) ?? "")
                    entry = try cursor.next()
                }
                return keys
            }
            let rows = try OpenBadReviewRow.all(from: db, in: reader.transaction)
            // Rectified reviews stay in the table until their feedback; this list is of the unrectified.
            return Array(zip(keys, rows)).filter(\.1.isUnrectified).map { (caseNumber: $0.0, row: $0.1) }
        }
    }
}
