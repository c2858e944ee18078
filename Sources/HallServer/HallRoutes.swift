import Foundation
import Hummingbird
import Synchronization

/// The routes the router serves, as registered: what the OpenAPI test checks the document against.
public final class RouteTable: Sendable {
    private let entries = Mutex<[String]>([])

    public init() {}

    /// "GET /cases/{case}", … in registration order.
    public var routes: [String] { entries.withLock { $0 } }

    func add(_ method: HTTPRequest.Method, _ path: String) { entries.withLock { $0.append("\(method.rawValue) \(path)") } }
}

/// Registers handlers on the router and notes each route in the table.
struct HallRoutes {
    let router: Router<HallRequestContext>
    let table: RouteTable

    func get(_ path: String, _ handler: @escaping @Sendable (Request, HallRequestContext) async throws -> Response) {
        table.add(.get, path)
        router.get(RouterPath(path), use: handler)
    }

    func post(_ path: String, _ handler: @escaping @Sendable (Request, HallRequestContext) async throws -> Response) {
        table.add(.post, path)
        router.post(RouterPath(path), use: handler)
    }
}
