import Foundation
import Ledger
import PostgresNIO
import Testing
import TestSupport

extension FeedTests {
    @Test("refuses a rewritten or truncated log under a shipped ledger id, and writes nothing of it",
          .timeLimit(.minutes(2)))
    func rewrittenLogRefused() async throws {
        let original = try simulatedDistrict(cases: 300, seed: 21, label: "feed-original")
        let rewritten = try simulatedDistrict(cases: 400, seed: 22, label: "feed-rewritten")
        let truncated = try simulatedDistrict(cases: 100, seed: 23, label: "feed-truncated")
        let database = try await TestPostgres.freshDatabase()

        let first = try await ledger("feed", "postgres", "--url", database.url, "--store", original.path, "--ledger-id", "XYZ")
        #expect(first.status == 0, "\(first.stderr)")
        let before = try #require(try await database.shipped("XYZ"))

        let refused = try await ledger("feed", "postgres", "--url", database.url, "--store", rewritten.path, "--ledger-id", "XYZ")
        #expect(refused.status != 0)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(refused.stderr)")
        #expect(refused.stderr.contains("refusing to ship XYZ") && refused.stderr.contains("history rewritten"), "\(refused.stderr)")
        #expect(try await database.shipped("XYZ") == before, "nothing of the rewritten log was written")

        let short = try await ledger("feed", "postgres", "--url", database.url, "--store", truncated.path, "--ledger-id", "XYZ")
        #expect(short.status != 0)
        #expect(short.stderr.contains("truncated"), "\(short.stderr)")
        #expect(try await database.shipped("XYZ") == before)

        // The original log still extends what was shipped.
        let again = try await ledger("feed", "postgres", "--url", database.url, "--store", original.path, "--ledger-id", "XYZ")
        #expect(again.status == 0, "\(again.stderr)")
        try await database.expectShippedExactlyOnce(original, as: "XYZ")
        await database.drop()
    }

    @Test("a SQL user finds an altered shipped record with the shipped hashes", .timeLimit(.minutes(2)))
    func continuityCheckInSQL() async throws {
        let district = try simulatedDistrict(cases: 100, seed: 24, label: "feed-continuity")
        let database = try await TestPostgres.freshDatabase()
        let result = try await ledger("feed", "postgres", "--url", database.url, "--store", district.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await database.chainBreaks("LZH") == [])

        // Change one byte of seq 10's stored record; its hash column stays as shipped.
        try await database.withConnection { connection in
            _ = try await connection.query("""
                UPDATE ledger_events SET record = set_byte(record, 40, get_byte(record, 40) # 1)
                WHERE ledger_id = 'LZH' AND seq = 10
                """, logger: TestPostgres.logger)
        }
        #expect(try await database.chainBreaks("LZH") == [10])
        // Deleting a record shows as a gap at the next seq.
        try await database.withConnection { connection in
            _ = try await connection.query("DELETE FROM ledger_events WHERE ledger_id = 'LZH' AND seq = 20", logger: TestPostgres.logger)
        }
        #expect(try await database.chainBreaks("LZH") == [10, 21])
        await database.drop()
    }

    @Test("a bad URL or ledger id is one line and a non-zero exit, nothing written", .timeLimit(.minutes(2)))
    func badArguments() async throws {
        let district = try simulatedDistrict(cases: 10, seed: 25, label: "feed-args")
        let badURL = try await ledger("feed", "postgres", "--url", "mysql://x@y/z", "--store", district.path)
        #expect(badURL.status != 0)
        #expect(badURL.stderr.contains("postgres://"), "\(badURL.stderr)")
        let badID = try await ledger("feed", "postgres", "--url", "postgres://u@localhost/db", "--ledger-id", "no spaces", "--store", district.path)
        #expect(badID.status != 0)
        #expect(badID.stderr.contains("invalid ledger id"), "\(badID.stderr)")
        let unreachable = try await ledger("feed", "postgres", "--url", "postgres://u@127.0.0.1:1/db", "--store", district.path)
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.split(separator: "\n").count == 1, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("PostgreSQL"), "\(unreachable.stderr)")
    }
}
