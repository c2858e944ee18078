import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import ServiceLifecycle

/// Where and how the server listens.
public struct HallServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// PEM files; with both, the server speaks HTTPS only.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Client connections held open at once; beyond it new ones wait in the listen queue. 0: no limit.
    public var maxConnections: Int

    public static let defaultMaxConnections = 1024

    public init(host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil, tlsKey: String? = nil,
                maxConnections: Int = HallServerConfiguration.defaultMaxConnections) {
        self.host = host
        self.port = port
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.maxConnections = maxConnections
    }
}

/// The routes: the JSON API, the pages and the operations endpoints, behind the error, log,
/// security-header and authentication middleware.
/// `table`, when given, receives every route as registered.
public func buildRouter(hall: Hall, table: RouteTable = RouteTable()) -> Router<HallRequestContext> {
    let router = Router(context: HallRequestContext.self)
    // Outermost first: the headers go on every answer, errors included.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorAndLogMiddleware(hall: hall))
    router.add(middleware: AuthenticationMiddleware(hall: hall))
    let routes = HallRoutes(router: router, table: table)
    OpsController(hall: hall).register(on: routes)
    CaseController(hall: hall).register(on: routes)
    CatalogController(hall: hall).register(on: routes)
    CatalogChangeController(hall: hall).register(on: routes)
    GrantController(hall: hall).register(on: routes)
    TokenController(hall: hall).register(on: routes)
    ContactsController(hall: hall).register(on: routes)
    HallQueryController(hall: hall).register(on: routes)
    PageController(hall: hall).register(on: routes)
    return router
}

/// The server over `hall`: the router, and a service that keeps the views caught up by
/// following the log (and, with `feed`, one that ships the log into PostgreSQL). Run it with
/// `runService()`: SIGTERM and SIGINT shut it down gracefully (the listener closes, in-flight
/// requests — appends among them — finish, then the feed commits its transaction in flight and
/// the follower stops).
public func buildApplication(hall: Hall, configuration: HallServerConfiguration, logger: Logger,
                             feed: HallFeedService? = nil) throws -> some ApplicationProtocol {
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        server = try .tls(.http1(), tlsConfiguration: tls)
    } else {
        server = .http1()
    }
    return Application(
        router: buildRouter(hall: hall),
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ledger-hall",
                             availableConnectionsDelegate: configuration.maxConnections > 0
                                 ? ConnectionLimit(maximum: configuration.maxConnections, gauge: hall.metrics.openConnections) : nil),
        services: [ViewFollower(hall: hall, logger: logger) as any Service] + (feed.map { [$0] } ?? []),
        logger: logger
    )
}

/// Keeps the views in step with the log while the server runs.
struct ViewFollower: Service {
    let hall: Hall
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await hall.follow(logger: logger) }
    }
}
