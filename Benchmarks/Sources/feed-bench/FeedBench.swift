// feed-bench: the feed's throughput into PostgreSQL for a simulated district, beside two plain
// COPYs of the same `ledger_events` rows, the limits: postgres-nio's COPY (the same client
// library, keys and batch size, into the ledger's partition as the feed does, with the rows
// encoded beforehand, and no chain check or read models) and psql's `\copy` of the whole log in
// one transaction (PostgreSQL's own C client). Then the lag of an in-process `follow()` behind
// single durable appends at a steady rate.
//
//   swift run -c release feed-bench --url postgres://postgres@localhost:54329/postgres [--cases 140000] [--runs 3]
//
// Each run ships into a fresh database (created, then dropped). Prints medians.
import CaseDomain
import Feed
import Foundation
import Ledger
import Logging
import PostgresNIO
import CaseStatistics
import Simulator

struct Options {
    var url = ProcessInfo.processInfo.environment["LEDGER_TEST_POSTGRES_URL"]
    var cases = 140_000
    var runs = 3
    var batchSize = 50_000
    /// Events a second the hall appends while the feed follows (a busy hall's peak is far lower).
    var peakRate = 100
    var followSeconds = 10

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--url": url = try value()
            case "--cases": cases = Int(try value()) ?? cases
            case "--runs": runs = max(1, Int(try value()) ?? runs)
            case "--batch-size": batchSize = max(1, Int(try value()) ?? batchSize)
            case "--peak-rate": peakRate = max(1, Int(try value()) ?? peakRate)
            case "--follow-seconds": followSeconds = max(1, Int(try value()) ?? followSeconds)
            default: throw BenchError("unknown argument \(arguments[i]); use --url URL --cases N --runs N --batch-size N --peak-rate N --follow-seconds N")
            }
            i += 1
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let logger = Logger(label: "feed-bench")
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func connect(_ url: String, database: String? = nil) async throws -> PostgresConnection {
    var components = URLComponents(string: url)!
    if let database { components.path = "/" + database }
    return try await PostgresConnection.connect(
        configuration: .init(host: components.host!, port: components.port ?? 5432, username: components.user!,
                             password: components.password, database: String(components.path.dropFirst()), tls: .disable),
        id: 1, logger: logger)
}

func url(_ base: String, database: String) -> String {
    var components = URLComponents(string: base)!
    components.path = "/" + database
    return components.string!
}

/// Runs `body` with a fresh database's URL, dropping the database afterwards.
func withFreshDatabase<R>(_ base: String, _ body: (String, String) async throws -> R) async throws -> R {
    let name = "feed_bench_\(UInt32.random(in: 0 ... .max))"
    let admin = try await connect(base)
    try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
    do {
        let result = try await body(url(base, database: name), name)
        try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
        try await admin.close()
        return result
    } catch {
        _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        try? await admin.close()
        throw error
    }
}

/// `psql \copy` of the COPY text in `file` into `ledger_events`, in one transaction.
func psqlCopy(url: String, file: String) throws {
    let components = URLComponents(string: url)!
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-h", components.host!, "-p", "\(components.port ?? 5432)",
                         "-U", components.user!, "-d", String(components.path.dropFirst()),
                         "-c", "\\copy \"ledger_events_LZH\" (\(PostgresFeed.eventColumns.joined(separator: ", "))) FROM '\(file)'"]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("psql \\copy failed (exit \(process.terminationStatus))") }
}

/// A store with the catalog published, and a simulated district year's events to append.
func openDistrict(_ directory: String, cases: Int, durable: Bool) async throws -> (EventStore, [SimulatedEvent]) {
    let calendar = try WorkCalendar.load(directory: root.appendingPathComponent("seeds/calendars"))
    let seeds = try DistrictSeeds.load(directory: root.appendingPathComponent("seeds"))
    let store = try EventStore(directory: directory, codec: CaseEventCodec(), options: .init(durable: durable))
    let ledger = try CaseLedger(store: store, calendar: calendar)
    let catalogTime = Timestamp(startOf: try CivilDate(year: 2023, month: 1, day: 1))
    try await ledger.publishCatalog(items: seeds.catalog, at: catalogTime, actor: "catalog-admin")
    let simulator = DistrictSimulator(seeds: seeds, calendar: calendar, config: SimulationConfig(year: 2023, seed: 2023, cases: cases))
    var pending: [SimulatedEvent] = []
    _ = try simulator.run { pending.append($0) }
    return (store, pending)
}

/// A simulated district year in `directory`, as `ledger demo` makes it.
func makeDistrict(_ directory: String, cases: Int) async throws -> EventStore {
    let (store, pending) = try await openDistrict(directory, cases: cases, durable: false)
    var batch = AppendBatch()
    for chunk in stride(from: 0, to: pending.count, by: 16_384) {
        batch.removeAll()
        for event in pending[chunk ..< min(chunk + 16_384, pending.count)] { batch.add(event) }
        _ = try await store.appendAll(batch.requests)
    }
    return store
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

@main
enum FeedBench {
    static func main() async {
        do { try await run() } catch {
            FileHandle.standardError.write(Data("feed-bench: \(FeedError.line(for: error, url: "the given URL"))\n".utf8))
            exit(1)
        }
    }

    static func run() async throws {
        let options = try Options(Array(CommandLine.arguments.dropFirst()))
        guard let base = options.url else {
            throw BenchError("no database: pass --url postgres://… or set LEDGER_TEST_POSTGRES_URL")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("feed-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let calendar = try WorkCalendar.load(directory: root.appendingPathComponent("seeds/calendars"))
        let rules = try HallRules.load(from: root.appendingPathComponent("seeds/rules.json"))

        let store = try await makeDistrict(scratch + "/events", cases: options.cases)
        let head = try store.digest()
        print("district: \(options.cases) cases, \(head.seq) events; batches of \(options.batchSize)")

        // The rows the feed ships, encoded once, for the plain COPY.
        let encodingStarted = ContinuousClock.now
        let rows = try PostgresFeed.eventRows(of: store, ledgerID: "LZH", batchSize: options.batchSize)
        let encodingSeconds = seconds(since: encodingStarted)
        print("encoding the rows (read, decode, JSON, hex): \(String(format: "%.2f", encodingSeconds)) s, \(Int(Double(head.seq) / encodingSeconds)) events/s")

        // The same rows as one file, for psql.
        let rowsFile = scratch + "/ledger_events.copy"
        guard FileManager.default.createFile(atPath: rowsFile, contents: nil) else { throw BenchError("cannot create \(rowsFile)") }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: rowsFile))
        for batch in rows { try file.write(contentsOf: Data(batch.readableBytesView)) }
        try file.close()

        var feedRates: [Double] = [], copyRates: [Double] = [], psqlRates: [Double] = [], viewsSeconds: [Double] = []
        var feedCPU: [CPUTime] = [], copyCPU: [CPUTime] = []
        let admin = try await connect(base)
        let postmaster = try await CPUTime.postmaster(of: admin, logger: logger)
        try await admin.close()
        func cpuSince(_ start: CPUTime) async throws -> CPUTime {
            try await Task.sleep(for: .milliseconds(200))  // the backend's exit, reaped by the postmaster
            return CPUTime.now(postmaster: postmaster) - start
        }
        for run in 1 ... options.runs {
            try await withFreshDatabase(base) { url, _ in
                let viewsDirectory = scratch + "/feed-views-\(run)"
                let cpu = CPUTime.now(postmaster: postmaster)
                let started = ContinuousClock.now
                let models = try FeedReadModels(store: store, directory: viewsDirectory, calendar: calendar, rules: rules)
                let feed = try PostgresFeed(store: store, models: models, ledgerID: "LZH", url: url, batchSize: options.batchSize)
                let round = try await feed.shipAvailable()
                let elapsed = seconds(since: started)
                guard round.shipped == head else { throw BenchError("the feed stopped at \(round.shipped), not \(head)") }
                feedRates.append(Double(head.seq) / elapsed)
                feedCPU.append(try await cpuSince(cpu))
                try? FileManager.default.removeItem(atPath: viewsDirectory)
                // The views alone (part of the feed's time): a catch-up from nothing.
                let viewsStarted = ContinuousClock.now
                let again = try FeedReadModels(store: store, directory: viewsDirectory, calendar: calendar, rules: rules)
                _ = try again.caughtUp()
                viewsSeconds.append(seconds(since: viewsStarted))
                try? FileManager.default.removeItem(atPath: viewsDirectory)
                print("run \(run): feed \(Int(feedRates.last!)) events/s (\(String(format: "%.2f", elapsed)) s, \(round.batches) transactions; CPU \(feedCPU.last!))")
            }
            try await withFreshDatabase(base) { url, name in
                // The same tables, partitions and keys, made by the feed's own migrations.
                let models = try FeedReadModels(store: store, directory: scratch + "/unused-views", calendar: calendar, rules: rules)
                try await PostgresFeed(store: store, models: models, ledgerID: "LZH", url: url).prepareDatabase()
                let connection = try await connect(base, database: name)
                let cpu = CPUTime.now(postmaster: postmaster)
                let started = ContinuousClock.now
                for batch in rows {
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.copyFrom(table: "ledger_events_LZH", columns: PostgresFeed.eventColumns, logger: logger) { writer in
                        var start = 0
                        while start < batch.readableBytes {
                            let length = min(1 << 20, batch.readableBytes - start)
                            try await writer.write(batch.getSlice(at: batch.readerIndex + start, length: length)!)
                            start += length
                        }
                    }
                    try await connection.query("COMMIT", logger: logger)
                }
                let elapsed = seconds(since: started)
                try await connection.close()
                copyRates.append(Double(head.seq) / elapsed)
                copyCPU.append(try await cpuSince(cpu))
                print("run \(run): plain COPY \(Int(copyRates.last!)) events/s (\(String(format: "%.2f", elapsed)) s; CPU \(copyCPU.last!))")
            }
            try await withFreshDatabase(base) { url, _ in
                let models = try FeedReadModels(store: store, directory: scratch + "/unused-views", calendar: calendar, rules: rules)
                try await PostgresFeed(store: store, models: models, ledgerID: "LZH", url: url).prepareDatabase()
                let started = ContinuousClock.now
                try psqlCopy(url: url, file: rowsFile)
                let elapsed = seconds(since: started)
                psqlRates.append(Double(head.seq) / elapsed)
                print("run \(run): psql \\copy \(Int(psqlRates.last!)) events/s (\(String(format: "%.2f", elapsed)) s)")
            }
        }
        let lag = try await followLag(base, scratch: scratch, calendar: calendar, rules: rules, options: options)
        let feed = median(feedRates), copy = median(copyRates), psql = median(psqlRates)
        print("""

        | measure (median of \(options.runs), \(head.seq) events) | value |
        |---|---|
        | feed into PostgreSQL (events, chain check, read models, checkpoints) | \(Int(feed)) events/s |
        | plain COPY of the same ledger_events rows | \(Int(copy)) events/s |
        | psql \\copy of the same rows, one transaction | \(Int(psql)) events/s |
        | feed / plain COPY (postgres-nio) | \(String(format: "%.0f%%", feed / copy * 100)) |
        | feed / psql \\copy | \(String(format: "%.0f%%", feed / psql * 100)) |
        | of which the views' catch-up from nothing | \(String(format: "%.2f", median(viewsSeconds))) s |
        | CPU seconds, feed: its own process / PostgreSQL | \(CPUTime.medians(feedCPU)) |
        | CPU seconds, plain COPY: its own process / PostgreSQL | \(CPUTime.medians(copyCPU)) |
        | --follow lag at \(options.peakRate) appends/s for \(options.followSeconds) s: events behind, p50 / max (sampled every 10 ms) | \(lag.p50) / \(lag.max) |
        | --follow: last append to shipped | \(String(format: "%.0f", lag.drainMilliseconds)) ms |
        """)
    }

    /// The hall appends single events at `peakRate` a second (durably, as the hall does) while a
    /// feed follows in-process; the lag is sampled every 10 ms.
    static func followLag(_ base: String, scratch: String, calendar: WorkCalendar, rules: HallRules,
                          options: Options) async throws -> (p50: UInt64, max: UInt64, drainMilliseconds: Double) {
        try await withFreshDatabase(base) { url, _ in
            let (store, pending) = try await openDistrict(scratch + "/live", cases: options.peakRate * options.followSeconds, durable: true)
            var requests = AppendBatch()
            for event in pending.prefix(options.peakRate * options.followSeconds) { requests.add(event) }
            let models = try FeedReadModels(store: store, directory: scratch + "/live-views", calendar: calendar, rules: rules)
            let feed = try PostgresFeed(store: store, models: models, ledgerID: "LZH", url: url)
            try await feed.shipAvailable()
            let following = Task { try await feed.follow() }
            let sampler = Task {
                var samples: [UInt64] = []
                while !Task.isCancelled {
                    samples.append(feed.lag.events)
                    try? await Task.sleep(for: .milliseconds(10))
                }
                return samples
            }
            let started = ContinuousClock.now
            var appended = 0
            for request in requests.requests {
                for event in request.events {
                    _ = try await store.append(to: request.stream, expected: .any, events: [event])
                    appended += 1
                    let due = started + .milliseconds(appended * 1000 / options.peakRate)
                    if due > .now { try await Task.sleep(until: due) }
                }
            }
            let lastAppend = ContinuousClock.now
            let head = try store.digest().seq
            while feed.lag.shipped < head {
                guard seconds(since: lastAppend) < 60 else { throw BenchError("the following feed did not catch up within 60 s") }
                try await Task.sleep(for: .milliseconds(1))
            }
            let drain = seconds(since: lastAppend) * 1000
            sampler.cancel()
            following.cancel()
            let samples = await sampler.value.sorted()
            _ = try? await following.value
            return (samples[samples.count / 2], samples.last ?? 0, drain)
        }
    }
}
