import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport
@testable import Feed

extension FeedTests {
    @Test("a round cancelled while its first batch waits to commit and the next is being encoded stops at the committed batch; the encoded one is not shipped, and the next round ships the rest exactly once",
          .timeLimit(.minutes(2)))
    func cancelledPipelineStopsAtACommittedBatch() async throws {
        let district = try simulatedDistrict(cases: 200, seed: 29, label: "feed-pipeline-cancel")
        let head = try storeHead(district)
        let database = try await TestPostgres.freshDatabase()
        let feed = try inProcessFeed(district, url: database.url, ledgerID: "PIP", batchSize: 100)
        let (connection, watch) = try await feed.connect()

        // Another session holds the ledger's checkpoint row, so the first batch's transaction
        // waits at its lock while the second batch is encoded; the round is cancelled then.
        let holder = try await TestPostgres.connect(database.url)
        try await holder.query("BEGIN", logger: TestPostgres.logger)
        try await holder.query("SELECT seq FROM feed_checkpoints WHERE ledger_id = 'PIP' FOR UPDATE", logger: TestPostgres.logger)
        let shipping = Task { try await feed.shipRound(connection, watch: watch) }
        let waiting = """
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name = 'ledger feed PIP' AND wait_event_type = 'Lock' AND datname = '\(database.name)'
            """
        let deadline = ContinuousClock.now + .seconds(30)
        while try await database.integer(waiting) == 0 {
            guard ContinuousClock.now < deadline else { throw FeedTestError("the first batch never waited for the checkpoint row") }
            try await Task.sleep(for: .milliseconds(5))
        }
        shipping.cancel()
        try await holder.query("COMMIT", logger: TestPostgres.logger)
        try await holder.close()

        let round = try await shipping.value
        #expect(round.batches == 1 && round.events == 100 && round.shipped.seq == 100, "\(round)")
        let stopped = try #require(try await database.expectWholeBatches("PIP", "after the cancelled round"))
        #expect(stopped.checkpoint == 100 && stopped.events == 100, "\(stopped)")
        #expect(stopped.modelsSeq == 0, "the read models wait for the round's last batch: \(stopped)")

        // The next round starts after the committed batch and ships each later event once.
        let rest = try await feed.shipRound(connection, watch: watch)
        try? await connection.close()
        #expect(rest.events == Int(head) - 100 && rest.shipped.seq == head, "\(rest)")
        #expect(rest.batches == (Int(head) - 100 + 99) / 100, "batches of 100, in order: \(rest)")
        try await database.expectShippedExactlyOnce(district, as: "PIP")
        await database.drop()
    }

    @Test("when the log grew while the views caught up, the round ships on to where the views are, with their read models",
          .timeLimit(.minutes(2)))
    func roundFollowsTheViewsPastTheHeadItStartedWith() async throws {
        let district = try simulatedDistrict(cases: 150, seed: 37, label: "feed-pipeline-grown")
        let head = try storeHead(district)
        let database = try await TestPostgres.freshDatabase()
        let feed = try inProcessFeed(district, url: database.url, ledgerID: "GRW", batchSize: 100)
        let (connection, watch) = try await feed.connect()
        // The round read a head of 250; the views, started after, reach the log's real head.
        let views = Task { [models = feed.models] in try models.catchUp() }
        let round = try await feed.shipRound(connection, watch: watch, logHead: 250, views: views)
        try? await connection.close()
        #expect(round.shipped.seq == head && round.events == Int(head), "\(round)")
        #expect(round.batches == 3 + (Int(head) - 250 + 99) / 100, "batches of 100 up to 250, then on to the head: \(round)")
        try await database.expectShippedExactlyOnce(district, as: "GRW")
        await database.drop()
    }

    @Test("many small batches through the pipeline arrive in order, each once, with the read models of the last", .timeLimit(.minutes(2)))
    func manyBatchesInOrder() async throws {
        let district = try simulatedDistrict(cases: 150, seed: 31, label: "feed-pipeline-order")
        let head = try storeHead(district)
        let database = try await TestPostgres.freshDatabase()
        let feed = try inProcessFeed(district, url: database.url, ledgerID: "ORD", batchSize: 37)
        let round = try await feed.shipAvailable()
        #expect(round.shipped.seq == head && round.batches == (Int(head) + 36) / 37, "\(round)")
        try await database.expectShippedExactlyOnce(district, as: "ORD")
        // Nothing new: a second round ships nothing and commits nothing.
        let again = try await feed.shipAvailable()
        #expect(again.batches == 0 && again.events == 0, "\(again)")
        await database.drop()
    }
}
