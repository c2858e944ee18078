import Foundation
import Hummingbird
import NIOCore

/// Liveness, readiness, metrics and the API's description: no token needed, no case data.
struct OpsController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/healthz") { _, _ in Reply.json { w in w.beginObject(); w.field("status", "ok"); w.endObject() } }
        router.get("/readyz") { _, _ in try readiness() }
        router.get("/metrics") { _, _ in
            if let statistics = try? hall.store.statistics() {
                hall.metrics.mapBytes.set(Double(statistics.mapSize))
                hall.metrics.diskBytes.set(Double(statistics.bytesOnDisk))
            }
            hall.metrics.openReadsLog.set(Double(hall.store.openReadTransactions))
            hall.metrics.openReadsViews.set(Double(hall.runner.openReadTransactions))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: hall.metrics.exposition())))
        }
        router.get("/openapi.yaml") { _, _ in
            Reply.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }

    /// Ready when the views are within `readyLag` events of the log's head.
    func readiness() throws -> Response {
        let head = try hall.store.digest().seq
        let reached = hall.progress.reached
        let lag = head > reached ? head - reached : 0
        let ready = lag <= Self.readyLag
        return Reply.json(status: ready ? .ok : .serviceUnavailable, checkpoint: reached) { w in
            w.beginObject()
            w.field("status", ready ? "ready" : "catching_up")
            w.field("head", Int(head))
            w.field("checkpoint", Int(reached))
            w.field("lag", Int(lag))
            w.endObject()
        }
    }

    /// Events the views may trail the log by and still be ready (a burst being applied).
    static let readyLag: UInt64 = 1000
}
