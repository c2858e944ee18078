import Foundation
import Testing
import TestSupport

extension FeedTests {
    @Test("ledger serve --feed-url ships what clients POST into PostgreSQL, /metrics shows the lag going to 0, and SIGTERM stops it cleanly",
          .timeLimit(.minutes(3)))
    func serverShipsWhatClientsPost() async throws {
        let district = try simulatedDistrict(cases: 60, seed: 41, label: "feed-server")
        let token = try await managerToken(district)
        let database = try await TestPostgres.freshDatabase()
        let server = try await ServedHall(district, arguments: ["--feed-url", database.url, "--feed-ledger-id", "SRV"])
        let first = try storeHead(district)
        _ = try await database.waitForShipped("SRV", within: 60, "the log as the server found it", feed: server.child) {
            $0.checkpoint == Int64(first) && $0.modelsSeq == Int64(first)
        }

        for number in 1 ... 3 {
            let posted = try curl(server.url("/cases/LZH-2023-90000\(number)/events"), token: token, post: submittedJSON)
            #expect(posted.status == 201, "\(posted)")
        }
        let head = try storeHead(district)
        #expect(head == first + 3)
        _ = try await database.waitForShipped("SRV", within: 30, "the POSTed events", feed: server.child) {
            $0.checkpoint == Int64(head) && $0.modelsSeq == Int64(head)
        }
        // The scrape reads the log's head and the feed's checkpoint as they are.
        let metrics = try await server.waitForMetrics(within: 10) { $0.value("ledger_feed_shipped_seq", "SRV") == Double(head) }
        #expect(metrics.value("ledger_feed_lag_events", "SRV") == 0, "\(metrics.text)")
        #expect(metrics.value("ledger_feed_lag_seconds", "SRV") == 0, "\(metrics.text)")
        #expect(metrics.value("ledger_feed_postgres_unreachable", "SRV") == 0, "\(metrics.text)")
        #expect(metrics.value("ledger_feed_failing", "SRV") == 0, "\(metrics.text)")
        #expect((metrics.value("ledger_feed_events_total", "SRV") ?? 0) == Double(head), "\(metrics.text)")
        #expect((metrics.value("ledger_feed_batches_total", "SRV") ?? 0) >= 2, "\(metrics.text)")

        let exit = try await server.child.end(with: SIGTERM)
        #expect(exit.succeeded, "SIGTERM stops the server and its feed with exit 0: \(exit)")
        try await database.expectShippedExactlyOnce(district, as: "SRV")
        await database.drop()
    }
}

@Suite("The feed inside the server, PostgreSQL away")
struct ServerFeedUnreachableTests {
    @Test("with PostgreSQL unreachable the server still serves, takes appends and is ready; /metrics shows ledger_feed_postgres_unreachable 1 and the growing lag",
          .timeLimit(.minutes(2)))
    func serverServesWithoutPostgres() async throws {
        let district = try simulatedDistrict(cases: 30, seed: 42, label: "feed-server-away")
        let token = try await managerToken(district)
        // A port nothing listens on: every connection is refused.
        let server = try await ServedHall(district, arguments: ["--feed-url", "postgres://feed@127.0.0.1:\(try freeLoopbackPort())/ledgers"])
        let posted = try curl(server.url("/cases/LZH-2023-900001/events"), token: token, post: submittedJSON)
        #expect(posted.status == 201, "\(posted)")
        #expect(try curl(server.url("/readyz")).status == 200, "/readyz does not depend on the feed")
        let head = try storeHead(district)
        let metrics = try await server.waitForMetrics(within: 30) { $0.value("ledger_feed_postgres_unreachable", "LZH") == 1 }
        #expect(metrics.value("ledger_feed_lag_events", "LZH") == Double(head), "\(metrics.text)")
        #expect((metrics.value("ledger_feed_lag_seconds", "LZH") ?? 0) > 0, "\(metrics.text)")
        #expect((metrics.value("ledger_feed_errors_total", "LZH") ?? 0) >= 1, "\(metrics.text)")
        #expect(metrics.value("ledger_feed_shipped_seq", "LZH") == 0, "\(metrics.text)")

        let exit = try await server.child.end(with: SIGTERM)
        #expect(exit.succeeded, "a feed waiting to retry does not hold the server's shutdown: \(exit)")
        #expect(exit.stderr.contains("cannot reach PostgreSQL"), "one warning line per attempt: \(exit.stderr)")
    }

    @Test("serve refuses feed options that do not fit, in one line")
    func serveRefusesBadFeedOptions() async throws {
        let district = try simulatedDistrict(cases: 5, seed: 44, label: "feed-server-options")
        let alone = try await ledger("serve", "--store", district.path, "--feed-ledger-id", "LZH")
        #expect(alone.status != 0 && alone.stderr.contains("--feed-ledger-id needs --feed-url"), "\(alone)")
        let badURL = try await ledger("serve", "--store", district.path, "--feed-url", "mysql://x@h/db")
        #expect(badURL.status != 0 && badURL.stderr.contains("the scheme must be postgres://"), "\(badURL)")
        let badID = try await ledger("serve", "--store", district.path, "--feed-url", "postgres://x@h/db", "--feed-ledger-id", "a b")
        #expect(badID.status != 0 && badID.stderr.contains("invalid ledger id"), "\(badID)")
    }
}

private let submittedJSON = #"{"type":"submitted","at":"2023-12-28T09:00:00+08:00","data":{"item":"LZH-Q-0001","channel":"window","applicant":{"kind":"person","ref":"P-9"}}}"#

/// A manager's token in `district`'s tokens file.
private func managerToken(_ district: TemporaryDirectory) async throws -> String {
    let added = try await ledger("token", "add", "--tokens", district.appending("tokens.json"), "--role", "manager", "--name", "manager-1")
    try #require(added.status == 0, "\(added.stderr)")
    return added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// `ledger serve` over a district, in a child process on a random port, answering /healthz.
private struct ServedHall {
    let child: LedgerChild
    let port: Int

    init(_ district: TemporaryDirectory, arguments: [String]) async throws {
        port = try freeLoopbackPort()
        child = try LedgerChild(["serve", "--store", district.path, "--tokens", district.appending("tokens.json"),
                                 "--port", "\(port)", "--today", "2023-12-29"] + arguments)
        let deadline = ContinuousClock.now + .seconds(60)
        while try curl(url("/healthz")).status != 200 {
            guard child.isRunning, ContinuousClock.now < deadline else {
                throw FeedTestError("ledger serve did not answer: \(child.stderr.all.joined(separator: "\n"))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Scrapes /metrics until `condition` holds (at most `seconds`, then this throws).
    func waitForMetrics(within seconds: Int, until condition: (Metrics) -> Bool) async throws -> Metrics {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let metrics = Metrics(text: try curl(url("/metrics")).body)
            if condition(metrics) { return metrics }
            guard ContinuousClock.now < deadline else { throw FeedTestError("waited \(seconds) s for /metrics: \(metrics.text)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A Prometheus text exposition.
private struct Metrics {
    let text: String

    /// The value of `name{ledger_id="ID"}`.
    func value(_ name: String, _ ledgerID: String) -> Double? {
        let prefix = "\(name){ledger_id=\"\(ledgerID)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }
}

/// One request with curl: the status and the body (status 0: no answer).
private func curl(_ url: String, token: String? = nil, post body: String? = nil) throws -> (status: Int, body: String) {
    var arguments = ["-s", "-m", "10", "-w", "\n%{http_code}"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
    let result = try runProcess("/usr/bin/curl", arguments + [url], timeout: 20)
    let text = result.stdout
    guard let split = text.lastIndex(of: "\n") else { return (Int(text) ?? 0, "") }
    return (Int(text[text.index(after: split)...]) ?? 0, String(text[..<split]))
}
