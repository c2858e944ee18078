import CaseDomain
import Foundation
import Hummingbird
import Ledger
import NIOCore
import CaseStatistics

/// Path and query parameters, checked before use: a bad one is a 400 that names it (its value
/// is never echoed back unescaped: JSON escapes it, and it is cut short).
struct RequestInput {
    let request: Request
    let context: HallRequestContext

    func caseNumber() throws -> CaseNumber {
        let raw = context.parameters.get("case") ?? ""
        do { return try CaseNumber(raw) } catch {
            throw HallError(.badRequest, "bad_case_number", "\"\(raw.prefix(40))\" is not a case number (e.g. LZH-2023-000001)")
        }
    }

    /// A window id of the hall (404 for an unknown one).
    func window(_ raw: String?, in hall: Hall) throws -> String? {
        guard let raw else { return nil }
        guard raw.utf8.count <= 16, raw.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw HallError(.badRequest, "bad_window", "\"\(raw.prefix(16))\" is not a window id (e.g. W05)")
        }
        guard hall.windows.isEmpty || hall.windows.contains(where: { $0.id == raw }) else {
            throw HallError.notFound("no window \(raw) (windows: \(hall.windows.map(\.id).joined(separator: ", ")))")
        }
        return raw
    }

    func query(_ name: String) -> String? { request.uri.queryParameters.get(name) }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw HallError.badRequest("?\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func flag(_ name: String) throws -> Bool? {
        guard let text = query(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw HallError.badRequest("?\(name) must be true or false")
        }
    }

    /// `?asOf=`: RFC 3339, or YYYY-MM-DD for the end of that day in China Standard Time.
    func moment(_ name: String) throws -> Timestamp? {
        guard let text = query(name) else { return nil }
        if let moment = Timestamp(rfc3339: text) { return moment }
        if let day = CivilDate(iso: text) {
            return Timestamp(milliseconds: (Int64(day.dayNumber) + 1) * 86_400_000 - Timestamp.chinaOffsetSeconds * 1000 - 1)
        }
        throw HallError.badRequest("?\(name) must be RFC 3339 (2023-06-14T12:00:00+08:00) or YYYY-MM-DD")
    }

    func period() throws -> ReportPeriod {
        ReportPeriod(year: try integer("year", in: 1 ... 9999), quarter: try integer("quarter", in: 1 ... 4))
    }

    func dimension() throws -> ReportDimension {
        guard let text = query("by") else { return .quarter }
        guard let dimension = ReportDimension(rawValue: text) else {
            throw HallError.badRequest("?by must be one of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return dimension
    }

    /// `Hall-After: SEQ`: the seq a read must see (read-your-writes from another connection).
    func after() throws -> UInt64 {
        guard let text = request.headers[.hallAfter] else { return 0 }
        guard let seq = UInt64(text) else { throw HallError.badRequest("Hall-After must be a seq (a whole number)") }
        return seq
    }
}

/// Responses with a body of bytes.
enum Reply {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, checkpoint: UInt64? = nil, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        if let checkpoint { fields[.hallCheckpoint] = String(checkpoint) }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(status: HTTPResponse.Status = .ok, checkpoint: UInt64? = nil, headers: HTTPFields = [:],
                     _ write: (inout JSONWriter) -> Void) -> Response {
        var w = JSONWriter()
        write(&w)
        return json(w.bytes + [10], status: status, checkpoint: checkpoint, headers: headers)
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
