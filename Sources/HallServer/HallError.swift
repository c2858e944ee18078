import CaseDomain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error as the API answers it: a status and `{"error": CODE, "message": TEXT}`.
public struct HallError: Error, Sendable, Equatable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// Stable, machine-readable: `unauthorized`, `version_conflict`, `rule_violation`, …
    public var code: String
    /// One line saying what was wrong and what to do.
    public var message: String
    /// Extra fields of the body (e.g. the current version on a conflict).
    public var details: [String: Int] = [:]
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [String: Int] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var w = JSONWriter()
        w.beginObject()
        w.field("error", code)
        w.field("message", message)
        for (key, value) in details.sorted(by: { $0.key < $1.key }) { w.field(key, value) }
        w.endObject()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes + [10])))
    }

    static func unauthorized() -> HallError {
        var error = HallError(.unauthorized, "unauthorized", "a valid bearer token is required (Authorization: Bearer TOKEN); ask the hall's admin for one")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"hall\""
        return error
    }

    static func forbidden(_ message: String) -> HallError { HallError(.forbidden, "forbidden", message) }
    static func badRequest(_ message: String) -> HallError { HallError(.badRequest, "bad_request", message) }
    static func notFound(_ message: String) -> HallError { HallError(.notFound, "not_found", message) }
}
