import AsyncHTTPClient
import CaseDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import HallServer

@Suite("64 clients over real sockets")
struct ConcurrentClientsTests {
    /// What one acknowledged POST said.
    struct Acknowledged: Sendable, Hashable {
        var ids: [UUID]
        var seqs: [Int]
        var caseNumber: String
    }

    @Test("distinct and shared cases at once: every acknowledged event is in the log exactly once, conflicts are 409, the chain verifies")
    func sixtyFourClients() async throws {
        var limits = HallLimits()
        limits.requestsPerTokenPerSecond = 1_000_000   // one token for all 64 clients
        let fixture = try await HallFixture(limits: limits, durable: true)
        let shared = (0 ..< 4).map { String(format: "LZH-2023-%06d", 900 + $0) }
        for number in shared { try await fixture.openCase(number, window: "W01") }
        let app = try buildApplication(hall: fixture.hall, configuration: HallServerConfiguration(port: 0), logger: Logger(label: "test"))
        let tally = Tally()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0 ..< 64 {
                    group.addTask {
                        let own = String(format: "LZH-2023-%06d", 1000 + worker)
                        var requests: [(String, String, HTTPFields, [UUID])] = []
                        let a = UUID(), b = UUID()
                        let submit = submitJSON.replacingOccurrences(of: "{\"type\"", with: "{\"id\":\"\(a)\",\"type\"")
                        let accept = acceptJSON(window: "W01").replacingOccurrences(of: "{\"type\"", with: "{\"id\":\"\(b)\",\"type\"")
                        requests.append((own, "[\(submit),\(accept)]", [:], [a, b]))
                        for round in 0 ..< 3 {
                            let id = UUID()
                            let target = shared[(worker + round) % shared.count]
                            let visit = "{\"id\":\"\(id)\",\"type\":\"visited\",\"at\":\"2023-06-29T10:00:00+08:00\"}"
                            // Half the writers name the version they read (and may lose the race: 409);
                            // the others let the ledger check the rules again (never a conflict).
                            var headers = HTTPFields()
                            if worker % 2 == 0 {
                                let read = try await Self.send(http, port: port, method: .GET, path: "/cases/\(target)", body: nil, headers: [:])
                                let version = ((read.object["version"] as? Int) ?? 0)
                                headers[.ifMatch] = "\"\(version)\""
                            }
                            requests.append((target, visit, headers, [id]))
                        }
                        for (number, body, headers, ids) in requests {
                            let response = try await Self.send(http, port: port, method: .POST, path: "/cases/\(number)/events", body: body, headers: headers)
                            tally.statuses.withLock { $0[response.status, default: 0] += 1 }
                            if response.status == 201 {
                                let seqs = (response.object["positions"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
                                tally.acknowledged.withLock { $0.append(Acknowledged(ids: ids, seqs: seqs, caseNumber: number)) }
                            } else if response.status == 409 {
                                #expect(response.object["error"] as? String == "version_conflict")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
        let seen = tally.statuses.withLock { $0 }
        #expect(Set(seen.keys).isSubset(of: [201, 409]), "statuses: \(seen)")
        #expect(seen[201, default: 0] >= 64)   // at least every client's own case
        let acks = tally.acknowledged.withLock { $0 }
        var allSeqs: [Int] = []
        for ack in acks {
            #expect(ack.ids.count == ack.seqs.count)
            for (id, seq) in zip(ack.ids, ack.seqs) {
                #expect(try fixture.store.seq(ofEventID: id) == UInt64(seq))
                let event = try #require(try fixture.store.events(from: UInt64(seq), limit: 1).first)
                #expect(event.caseNumber.rawValue == ack.caseNumber)
                #expect(event.actor == "manager-1")
            }
            allSeqs += ack.seqs
        }
        #expect(Set(allSeqs).count == allSeqs.count)
        // Nothing unacknowledged reached the log: the log is the fixture's cases plus the acknowledged events.
        let fixtureEvents = 2 + shared.count * 2
        #expect(try fixture.store.digest().seq == UInt64(fixtureEvents + allSeqs.count))
        let report = try fixture.store.verify()
        #expect(report.checked == UInt64(fixtureEvents + allSeqs.count))
    }

    /// What the clients saw, shared between their tasks.
    final class Tally: Sendable {
        let statuses = Mutex<[Int: Int]>([:])
        let acknowledged = Mutex<[Acknowledged]>([])
    }

    struct Reply: Sendable {
        var status: Int
        var text: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    }

    static func send(_ http: HTTPClient, port: Int, method: HTTPMethod, path: String, body: String?, headers: HTTPFields) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer t-manager-1")
        request.headers.add(name: "Content-Type", value: "application/json")
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: bytes))
    }
}
