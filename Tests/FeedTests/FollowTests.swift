import Foundation
import Testing
import TestSupport

extension FeedTests {
    @Test("--follow ships what the hall appends while it runs, exactly once, and SIGTERM stops it cleanly",
          .timeLimit(.minutes(2)))
    func followShipsNewAppends() async throws {
        // A district's year as JSON Lines: the hall's log holds its first part when the feed
        // starts, and a second `ledger import` appends the rest while the feed follows.
        let year = try simulatedDistrict(cases: 400, seed: 31, label: "feed-follow-year")
        let export = try await ledger("export", "--from", "1", "--store", year.path)
        try #require(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n", omittingEmptySubsequences: true)
        let split = lines.count * 2 / 3
        let scratch = TemporaryDirectory("feed-follow-files")
        try (lines[..<split].joined(separator: "\n") + "\n").write(toFile: scratch.appending("first.jsonl"), atomically: true, encoding: .utf8)
        try (lines[split...].joined(separator: "\n") + "\n").write(toFile: scratch.appending("rest.jsonl"), atomically: true, encoding: .utf8)

        let hall = TemporaryDirectory("feed-follow-hall")
        let first = try await ledger("import", scratch.appending("first.jsonl"), "--store", hall.path)
        try #require(first.status == 0, "\(first.stderr)")
        let firstHead = try storeHead(hall)
        #expect(firstHead == UInt64(split))

        let database = try await TestPostgres.freshDatabase()
        let feed = try LedgerChild(["feed", "postgres", "--follow", "--url", database.url, "--store", hall.path, "--ledger-id", "FLW"])
        _ = try await database.waitForShipped("FLW", within: 30, "the log as it was when the feed started", feed: feed) {
            $0.checkpoint == Int64(firstHead) && $0.modelsSeq == Int64(firstHead)
        }
        if !feed.isRunning { Issue.record("the feed stopped following: \(try await feed.exit(within: 5))") }
        try #require(feed.isRunning)
        try await database.expectShippedExactlyOnce(hall, as: "FLW")

        // The hall appends (another process) while the feed follows.
        let rest = try await ledger("import", scratch.appending("rest.jsonl"), "--store", hall.path)
        try #require(rest.status == 0, "\(rest.stderr)")
        let head = try storeHead(hall)
        #expect(head == UInt64(lines.count))
        _ = try await database.waitForShipped("FLW", within: 30, "the appended events", feed: feed) {
            $0.checkpoint == Int64(head) && $0.modelsSeq == Int64(head)
        }
        try await database.expectShippedExactlyOnce(hall, as: "FLW")
        #expect(feed.stdout.all.contains { $0.hasPrefix("FLW: shipped") && $0.contains("checkpoint \(head):") }, "\(feed.stdout.all)")

        let exit = try await feed.end(with: SIGTERM)
        #expect(exit.succeeded, "SIGTERM ends a follow with exit 0: \(exit)")
        #expect(exit.stderr.isEmpty, "\(exit)")
        #expect(exit.stdout.split(separator: "\n").last?.contains("stopped") == true, "\(exit)")
        try await database.expectShippedExactlyOnce(hall, as: "FLW")
        await database.drop()
    }
}
