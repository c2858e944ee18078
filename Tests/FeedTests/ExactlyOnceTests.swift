import CaseDomain
import Foundation
import Ledger
import PostgresNIO
import Testing
import TestSupport

extension FeedTests {
    @Test("exactly once under SIGKILL of the feed at random moments (12 rounds), then resumes to the head",
          .disabled("not yet reliable here: it hung or was never run on this machine; see issue 13's note"), .timeLimit(.minutes(5)))
    func killedAtRandomMoments() async throws {
        let district = try simulatedDistrict(cases: 1_000, seed: 7)
        let database = try await TestPostgres.freshDatabase()
        let head = try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true)).digest().seq
        var random = SeededGenerator(seed: 0xFEED_0013)
        var killedMidway = 0
        var previous: Int64 = 0
        for round in 1 ... 12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try ledgerBinary())
            process.arguments = ["feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "100"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(Int.random(in: 300 ... 3_000, using: &random) * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // Whatever the moment, the database holds whole batches up to its checkpoint, once.
            guard let shipped = try await database.shipped("LZH") else { continue }
            #expect(shipped.events == shipped.checkpoint, "round \(round)")
            #expect(shipped.maxSeq == shipped.checkpoint, "round \(round)")
            #expect(shipped.checkpoint >= previous, "round \(round)")
            if process.terminationReason == .uncaughtSignal, shipped.checkpoint > previous, shipped.checkpoint < head {
                killedMidway += 1
            }
            previous = shipped.checkpoint
        }
        #expect(killedMidway >= 3, "kills that landed while the feed was shipping")

        let finish = try ledger("feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "100")
        #expect(finish.status == 0, "\(finish.stderr)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")
        await database.drop()
    }

    @Test("resumes after PostgreSQL restarts, mid-run and between runs",
          .enabled(if: TestPostgres.dataDirectory != nil, "LEDGER_TEST_POSTGRES_DATA is not set (the restart needs the cluster's data directory)"),
          .disabled("not yet reliable here: it hung or was never run on this machine; see issue 13's note"), .timeLimit(.minutes(5)))
    func postgresRestarts() async throws {
        let district = try simulatedDistrict(cases: 1_000, seed: 8)
        let database = try await TestPostgres.freshDatabase()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ledgerBinary())
        process.arguments = ["feed", "postgres", "--url", database.url, "--store", district.path, "--batch-size", "25"]
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let errors = ChildOutputLines(stderr.fileHandleForReading)
        // Wait for the first committed batch, then crash the server under the running feed.
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline, process.isRunning {
            if let shipped = try? await database.shipped("LZH"), shipped.checkpoint > 0 { break }
            usleep(20_000)
        }
        let interrupted = process.isRunning
        try TestPostgres.restart()
        process.waitUntilExit()
        _ = errors.waitForEnd(timeout: 10)
        if interrupted {
            #expect(process.terminationStatus != 0)
            #expect(errors.all.count == 1, "one line: \(errors.all)")
            #expect(errors.all.first?.contains("PostgreSQL") == true, "\(errors.all)")
        }
        let shippedBefore = try #require(try await database.shipped("LZH"))
        #expect(shippedBefore.events == shippedBefore.checkpoint)

        let resumed = try ledger("feed", "postgres", "--url", database.url, "--store", district.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")

        try TestPostgres.restart()
        let again = try ledger("feed", "postgres", "--url", database.url, "--store", district.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("shipped 0 events"), "\(again.stdout)")
        try await database.expectShippedExactlyOnce(district, as: "LZH")
        await database.drop()
    }
}
