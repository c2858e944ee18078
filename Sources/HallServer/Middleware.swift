import CaseDomain
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import NIOCore

/// Finds the token holder from `Authorization: Bearer …` or the pages' cookie. Never rejects:
/// each route says which roles it admits. Requests with a token are rate-limited per holder.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let hall: Hall

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        switch hall.presentedToken(request) {
        case .none: break
        case .invalid: throw HallError.unauthorized()
        case .header(let principal): context.principal = principal
        case .cookie(let principal):
            context.principal = principal
            context.viaCookie = true
        }
        if hall.limits.requestsPerTokenPerSecond > 0, let principal = context.principal, !hall.rateLimiter.admit(principal.name) {
            var error = HallError(.tooManyRequests, "rate_limited",
                                  "more than \(Int(hall.limits.requestsPerTokenPerSecond.rounded(.up))) requests a second for this token; slow down and retry")
            error.headers[.retryAfter] = "1"
            throw error
        }
        return try await next(request, context)
    }
}

/// Turns every error into the API's `{"error", "message"}` body with its status, and writes one
/// log line per request: role, route, status, time — never a token, a query or a body.
struct ErrorAndLogMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let hall: Hall

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try HallErrors.hallError(error).response(from: request, context: context)
        }
        let took = ContinuousClock.now - started
        // The route template (e.g. /cases/{case}), not the path: no case number or window id of
        // the request reaches the log.
        let route = context.endpointPath ?? "unmatched"
        hall.metrics.requests(route: route, status: response.status.code).increment()
        let level: Logger.Level = response.status.code >= 500 ? .error : (response.status.code == 401 || response.status.code == 403 ? .notice : .info)
        context.logger.log(level: level, "request", metadata: [
            "method": "\(request.method.rawValue)",
            "route": "\(route)",
            "status": "\(response.status.code)",
            "role": "\(hall.presentedToken(request).principal?.role.rawValue ?? "none")",
            "ms": "\(Double(took.components.attoseconds / 1_000_000_000_000) / 1000 + Double(took.components.seconds) * 1000)",
        ])
        return response
    }
}

/// What a request presented: no token, a bad one, or a holder's (by header or the pages' cookie).
enum PresentedToken {
    case none, invalid
    case header(Principal), cookie(Principal)

    var principal: Principal? {
        switch self {
        case .none, .invalid: nil
        case .header(let p), .cookie(let p): p
        }
    }
}

extension Hall {
    func presentedToken(_ request: Request) -> PresentedToken {
        if let header = request.headers[.authorization] {
            guard header.count > 7, header.prefix(7).lowercased() == "bearer " else { return .invalid }
            return tokens.principal(for: String(header.dropFirst(7))).map { .header($0) } ?? .invalid
        }
        if let cookie = request.cookies[PageSession.cookieName]?.value, !cookie.isEmpty {
            return tokens.principal(for: cookie).map { .cookie($0) } ?? .invalid
        }
        return .none
    }
}

/// Headers that keep pages and answers from being framed, sniffed or made to run foreign script.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// The seq the views had reached when a read was answered.
    static let hallCheckpoint = HTTPField.Name("Hall-Checkpoint")!
    /// A read waits (bounded) until the views reach this seq (read-your-writes across clients).
    static let hallAfter = HTTPField.Name("Hall-After")!
}

/// The API's error for each failure the ledger and the server know.
enum HallErrors {
    static func hallError(_ error: any Error) -> HallError {
        switch error {
        case let error as HallError: return error
        case LedgerError.wrongExpectedVersion(_, let expected, let actual):
            // -1: the case has no events yet.
            let details = ["currentVersion": actual.map(Int.init) ?? -1]
            return HallError(.conflict, "version_conflict",
                             "the case is at version \(actual.map(String.init) ?? "none (no events)") but the request expected \(expected); reload the case and retry",
                             details: details)
        case let error as LedgerError:
            switch error {
            case .idConflict, .partialRetry, .duplicateIdInAppend:
                return HallError(.conflict, "id_conflict", error.description)
            case .invalidStreamID, .invalidActor, .emptyAppend:
                return HallError(.badRequest, "bad_request", error.description)
            case .recordTooLarge:
                return HallError(.contentTooLarge, "too_large", error.description)
            case .readOnlyStore:
                return HallError(.serviceUnavailable, "read_only", "this server serves a store it cannot write (read-only): it answers reads only")
            default:
                return HallError(.internalServerError, "internal", "the ledger failed: \(error.description)")
            }
        case let error as RuleViolation:
            return HallError(.unprocessableContent, "rule_violation", error.description)
        case is NIOTooManyBytesError:
            return HallError(.contentTooLarge, "too_large", "the request body is too large")
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                return HallError(.contentTooLarge, "too_large", "the request body is larger than \(HallLimits().maxBodyBytes) bytes; send fewer events per request")
            case .notFound:
                return HallError(.notFound, "not_found", "no such route; see /openapi.yaml")
            case .methodNotAllowed:
                return HallError(.methodNotAllowed, "method_not_allowed", "this route does not take that method; see /openapi.yaml")
            default:
                return HallError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
        default:
            return HallError(.internalServerError, "internal", "the server failed; the log says more")
        }
    }
}
