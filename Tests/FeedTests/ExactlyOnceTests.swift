import CaseDomain
import Foundation
import Ledger
import PostgresNIO
import Testing
import TestSupport

extension TestDatabase {
    /// Waits until `condition` holds for the ledger's shipped state (or the feed ended); throws
    /// after `seconds`, saying what it waited for.
    func waitForShipped(_ ledgerID: String, within seconds: Double, _ what: String, feed: LedgerChild? = nil,
                        until condition: (ShippedLedger) -> Bool) async throws -> ShippedLedger? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            // Tables not made yet, or the server restarting: look again.
            if let shipped = try? await shipped(ledgerID), condition(shipped) { return shipped }
            if let feed, !feed.isRunning { return try? await shipped(ledgerID) }
            guard ContinuousClock.now < deadline else {
                throw FeedTestError("waited \(Int(seconds)) s for \(what); shipped: \(String(describing: try? await shipped(ledgerID)))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// What a kill at any moment must leave: whole batches from seq 1 to the checkpoint, each once,
    /// chained, and read models of a prefix of them.
    func expectWholeBatches(_ ledgerID: String, _ context: String,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws -> ShippedLedger? {
        guard let shipped = try await shipped(ledgerID) else { return nil }
        #expect(shipped.events == shipped.checkpoint && shipped.maxSeq == shipped.checkpoint,
                "\(context): \(shipped)", sourceLocation: sourceLocation)
        #expect(shipped.modelsSeq <= shipped.checkpoint, "\(context): \(shipped)", sourceLocation: sourceLocation)
        #expect(try await chainBreaks(ledgerID) == [], "\(context)", sourceLocation: sourceLocation)
        return shipped
    }
}

extension FeedTests {
    @Test("exactly once under SIGKILL of the feed at random moments (12 rounds), then resumes to the head",
          .timeLimit(.minutes(3)))
    func killedAtRandomMoments() async throws {
        let district = try simulatedDistrict(cases: 1_000, seed: 7)
        let database = try await TestPostgres.freshDatabase()
        let head = try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true)).digest().seq
        var random = SeededGenerator(seed: 0xFEED_0013)
        var killedMidway = 0
        var previous: Int64 = 0
        for round in 1 ... 12 {
            let feed = try LedgerChild(["feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "40"])
            if round.isMultiple(of: 2) {
                // A random moment of shipping: once a batch of this run committed, 0–40 ms later
                // (a COPY, the read models, a commit, the next batch being encoded).
                _ = try await database.waitForShipped("LZH", within: 30, "round \(round)'s first commit", feed: feed) {
                    $0.checkpoint > previous
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0 ... 40, using: &random)))
            } else {
                // A random moment from the start: connecting, migrating, catching the views up, shipping.
                try await Task.sleep(for: .milliseconds(Int.random(in: 20 ... 800, using: &random)))
            }
            let exit = try await feed.end(with: SIGKILL)

            // Whatever the moment, the database holds whole batches up to its checkpoint, once.
            guard let shipped = try await database.expectWholeBatches("LZH", "round \(round)") else { continue }
            #expect(shipped.checkpoint >= previous, "round \(round)")
            if exit.bySignal, shipped.checkpoint > previous, shipped.checkpoint < head { killedMidway += 1 }
            previous = shipped.checkpoint
        }
        #expect(killedMidway >= 6, "kills that landed while the feed was shipping")
        #expect(previous < Int64(head), "the rounds ended before the log did")

        let finish = try await ledger("feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "1000")
        #expect(finish.status == 0, "\(finish.stderr)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")
        await database.drop()
    }

    @Test("a one-shot feed that loses PostgreSQL mid-run says so in one line; the next run resumes, also after a restart between runs",
          .enabled(if: TestPostgres.dataDirectory != nil, "LEDGER_TEST_POSTGRES_DATA is not set (the restart needs the cluster's data directory)"),
          .timeLimit(.minutes(3)))
    func postgresRestarts() async throws {
        let district = try simulatedDistrict(cases: 500, seed: 8)
        let database = try await TestPostgres.freshDatabase()

        // Small batches, so the run is still shipping when the server goes down under it.
        let feed = try LedgerChild(["feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "10"])
        _ = try await database.waitForShipped("LZH", within: 30, "the first commit", feed: feed) { $0.checkpoint > 0 }
        try #require(feed.isRunning, "the feed was still shipping when the server went down")
        try TestPostgres.restart()
        let exit = try await feed.exit(within: 30)
        #expect(!exit.bySignal && exit.status != 0, "\(exit)")
        // The feed's own message is one line. A query the client wrote as the server went away
        // can be dropped unanswered by postgres-nio (Docs/FEED.md); the Swift runtime then warns
        // of the leaked continuation on a line of its own, which is not the feed's to silence.
        let lines = exit.stderr.split(separator: "\n").filter { !$0.hasPrefix("SWIFT TASK CONTINUATION MISUSE") }
        #expect(lines.count == 1 && exit.stderr.contains("PostgreSQL") && exit.stderr.contains("run the feed again"), "\(exit)")
        let before = try #require(try await database.expectWholeBatches("LZH", "after the restart"))
        #expect(before.checkpoint > 0)

        let resumed = try await ledger("feed", "postgres", "--url", database.url, "--store", district.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("shipped \(try storeHead(district) - UInt64(before.checkpoint)) events"), "\(resumed.stdout)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")

        try TestPostgres.restart()
        let again = try await ledger("feed", "postgres", "--url", database.url, "--store", district.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("shipped 0 events"), "\(again.stdout)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")
        await database.drop()
    }

    @Test("--follow rides out a PostgreSQL restart mid-run: it reconnects, resumes from its checkpoint and reaches the head",
          .enabled(if: TestPostgres.dataDirectory != nil, "LEDGER_TEST_POSTGRES_DATA is not set (the restart needs the cluster's data directory)"),
          .timeLimit(.minutes(3)))
    func followSurvivesRestart() async throws {
        let district = try simulatedDistrict(cases: 400, seed: 9)
        let database = try await TestPostgres.freshDatabase()
        let head = try storeHead(district)

        let feed = try LedgerChild(["feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "20", "--follow"])
        _ = try await database.waitForShipped("LZH", within: 30, "the first commit", feed: feed) { $0.checkpoint > 0 }
        try #require(feed.isRunning)
        try TestPostgres.restart()
        _ = try await database.waitForShipped("LZH", within: 60, "the head after the restart", feed: feed) {
            $0.checkpoint == Int64(head) && $0.modelsSeq == Int64(head)
        }
        #expect(feed.isRunning, "still following")
        let exit = try await feed.end(with: SIGTERM)
        #expect(exit.succeeded, "\(exit)")
        #expect(exit.stderr.contains("reconnecting") || exit.stderr.contains("cannot reach PostgreSQL"), "the loss is logged: \(exit)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")
        await database.drop()
    }
}

/// The last seq of the district's log.
func storeHead(_ district: TemporaryDirectory) throws -> UInt64 {
    try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true)).digest().seq
}
