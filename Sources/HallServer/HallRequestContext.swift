import Hummingbird
import NIOCore

/// A request's context: Hummingbird's core storage plus who is asking.
public struct HallRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` from the bearer token (or the pages' cookie).
    public var principal: Principal?
    /// True when the token came in the pages' cookie: such a request may read, never write
    /// (a cookie is sent by the browser on a forged cross-site request; a header is not).
    public var viaCookie = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are collected up to the hall's limit (413 beyond).
    public var maxUploadSize: Int { HallLimits().maxBodyBytes }

    /// The principal, or 401; then the role, or 403.
    func require(_ roles: Set<HallRole>, to action: String) throws -> Principal {
        guard let principal else { throw HallError.unauthorized() }
        guard roles.contains(principal.role) else {
            let allowed = HallRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
            throw HallError.forbidden("the \(principal.role.rawValue) role may not \(action) (allowed: \(allowed))")
        }
        return principal
    }
}
