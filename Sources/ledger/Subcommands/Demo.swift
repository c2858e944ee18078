import ArgumentParser
import CaseDomain
import Foundation
import Ledger
import Simulator

extension LedgerCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The main job: simulate a district year into an empty store and print the headline figures.",
            discussion: """
            Publishes the catalog of seeds/ as catalog events, simulates the year (deterministic: \
            the same seed gives the same log, hash for hash), appends it durably in batches, and \
            prints a summary. The store must be empty; --replace deletes it first.
            """
        )

        @OptionGroup var options: StoreOptions

        @Option(help: "The year to simulate (a calendar for it must be in seeds/calendars).")
        var year: Int = 2023

        @Option(help: "Seed of the simulation's random generator.")
        var seed: UInt64 = 2023

        @Option(help: "Cases to simulate (default: a realistic district year). The mix does not change with the count.")
        var cases: Int?

        @Flag(help: "Delete the store first if it is not empty.")
        var replace = false

        func validate() throws {
            if let cases, cases < 1 || cases > 9_999_999 { throw ValidationError("--cases must be 1 to 9,999,999") }
        }

        func run() async throws {
            let started = Date()
            try prepareEmptyStore()
            let seedsDirectory = try options.seedsDirectory
            let calendar = try options.calendar()
            let seeds = try DistrictSeeds.load(directory: seedsDirectory)
            let simulator = DistrictSimulator(seeds: seeds, calendar: calendar,
                                                  config: SimulationConfig(year: year, seed: seed, cases: cases))
            let ledger = try options.openLedger()
            // The catalog is in force from 00:00 CST on January 1st of the year.
            let catalogTime = Timestamp(startOf: try CivilDate(year: year, month: 1, day: 1))
            try await ledger.publishCatalog(items: seeds.catalog, at: catalogTime, actor: "catalog-admin")

            let progress = ProgressLine("demo")
            let target = simulator.caseCount
            var batch = AppendBatch()
            var events = 0
            var submitted = 0
            let store = ledger.store
            let chunks = SimulationChunks(simulator, chunkSize: 16_384)
            for try await chunk in chunks.stream {
                batch.removeAll()
                for event in chunk {
                    batch.add(event)
                    if case .submitted = event.data { submitted += 1 }
                }
                _ = try await store.appendAll(batch.requests)
                events += batch.eventCount
                // The appends read index pages through LMDB's map; let them go now and then
                // (they stay in the page cache) so a year of millions of cases stays small in memory.
                if events % (16 * 16_384) < batch.eventCount { store.releaseMappedPages() }
                progress.update(submitted, of: target, unit: "cases")
                chunks.consumed()
            }
            progress.finish()
            let summary = chunks.summary!
            let elapsed = Date().timeIntervalSince(started)
            let digest = try store.digest()
            print("""
            梁子湖区 \(year), seed \(seed): \(summary.cases) cases, \(events) events in \(String(format: "%.1f", elapsed)) s \
            (\(formatCount(Double(events) / elapsed)) events/s)
            store     \(options.store)
            digest    \(digest)
            catalog   \(ledger.catalog.items.count) items; promised limits \(String(format: "%.1f%%", ledger.catalog.compression * 100)) below legal (1 − Σ promised / Σ legal over items with a legal limit)
            """)
            print(summary.description)
            print(try headlineFigures(options, store: store, year: year))
        }

        private func prepareEmptyStore() throws {
            let events = options.eventsPath
            guard FileManager.default.fileExists(atPath: events + "/data.mdb") else { return }
            let count = try EventStore(directory: events, codec: CaseEventCodec(), options: .init(readOnly: true)).statistics().events
            guard count > 0 else { return }
            guard replace else {
                throw UserError("store \(options.store) already holds \(count) events: pass --replace to delete it, or --store NEWDIR")
            }
            try FileManager.default.removeItem(atPath: options.store)
        }
    }
}

/// Runs the simulator on a thread of its own and hands its events over in chunks, at most four
/// ahead of the consumer: simulation overlaps the appends' fsyncs, and memory stays bounded.
final class SimulationChunks: @unchecked Sendable {
    let stream: AsyncThrowingStream<[SimulatedEvent], any Error>
    private let slots = DispatchSemaphore(value: 4)
    private let lock = NSLock()
    private var result: SimulationSummary?

    init(_ simulator: DistrictSimulator, chunkSize: Int) {
        let (stream, continuation) = AsyncThrowingStream<[SimulatedEvent], any Error>.makeStream()
        self.stream = stream
        let thread = Thread { [self] in
            do {
                var chunk: [SimulatedEvent] = []
                chunk.reserveCapacity(chunkSize)
                let summary = try simulator.run { event in
                    chunk.append(event)
                    if chunk.count == chunkSize {
                        slots.wait()
                        continuation.yield(chunk)
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty {
                    slots.wait()
                    continuation.yield(chunk)
                }
                lock.withLock { result = summary }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.start()
    }

    /// The consumer is done with a chunk: the producer may run one further ahead.
    func consumed() { slots.signal() }

    /// The simulator's summary, once the stream has finished.
    var summary: SimulationSummary? { lock.withLock { result } }
}
