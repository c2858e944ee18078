import CaseDomain
import Foundation
import Ledger

/// The demo's pipeline, the one the CLI runs and the determinism test checks: publish the
/// catalog in force from January 1st, simulate the year on a thread of its own, and append it
/// durably in all-or-nothing chunks as it is simulated.
public struct DemoPipeline: Sendable {
    public let ledger: CaseLedger
    public let simulator: DistrictSimulator
    /// Events per append (one commit each).
    public var chunkSize = 16_384

    public init(ledger: CaseLedger, simulator: DistrictSimulator) {
        self.ledger = ledger
        self.simulator = simulator
    }

    /// What a run appended.
    public struct Outcome: Sendable {
        public var catalogEvents: Int
        /// The 首席服务员's grants, on the ADMIN stream.
        public var grantEvents: Int
        public var caseEvents: Int
        public var summary: SimulationSummary
        public var digest: ChainDigest
        /// Every event of the log: the catalog's, the grants and the cases'.
        public var events: Int { catalogEvents + grantEvents + caseEvents }
    }

    /// Runs the pipeline into the ledger's (empty) store; `progress` gets the cases submitted so far.
    public func run(progress: (_ submitted: Int) -> Void = { _ in }) async throws -> Outcome {
        let year = simulator.config.year
        // The catalog is in force from 00:00 CST on January 1st of the year; a catalog file that
        // comes into force later cannot serve the whole year.
        let january1 = try CivilDate(year: year, month: 1, day: 1)
        if let effective = simulator.seeds.catalogEffective, effective > january1 {
            throw SeedError(path: "catalog.jsonl", reason: "it comes into force on \(effective), after the start of \(year): simulate a later year")
        }
        let catalogTime = Timestamp(startOf: january1)
        let catalogEvents = try await ledger.publishCatalog(items: simulator.seeds.catalog, at: catalogTime, actor: "catalog-admin")
        // The 首席服务员 hold their grants from the same moment.
        let grantEvents = try await simulator.seeds.chiefClerks.record(into: ledger, at: catalogTime)
        let store = ledger.store
        var batch = AppendBatch()
        var events = 0
        var submitted = 0
        let chunks = SimulationChunks(simulator, chunkSize: chunkSize)
        for try await chunk in chunks.stream {
            batch.removeAll()
            for event in chunk {
                batch.add(event)
                if case .submitted = event.data { submitted += 1 }
            }
            _ = try await store.appendAll(batch.requests)
            events += batch.eventCount
            // The appends read index pages through LMDB's map; let them go now and then (they
            // stay in the page cache) so a year of millions of cases stays small in memory.
            if events % (16 * chunkSize) < batch.eventCount { store.releaseMappedPages() }
            progress(submitted)
            chunks.consumed()
        }
        return Outcome(catalogEvents: catalogEvents, grantEvents: grantEvents, caseEvents: events, summary: chunks.summary!,
                       digest: try store.digest())
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
