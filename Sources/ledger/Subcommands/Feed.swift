import ArgumentParser
import Feed
import Foundation
import Ledger
import Logging

extension LedgerCommand {
    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ship the log, exactly once, to a city-wide database.",
            subcommands: [Postgres.self])

        struct Postgres: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Ship the log and the read models into PostgreSQL, resuming from the last checkpoint.",
                discussion: """
                Each batch of events, and with a run's last batch the case states and report rows, \
                commits in one PostgreSQL transaction with the checkpoint (ledger id, seq, chain hash); \
                a run killed at any moment loses and duplicates nothing. The feed applies its schema \
                migrations itself and refuses a log that does not extend the digest it shipped last. \
                Schema and example queries: Docs/FEED.md.
                """)

            @OptionGroup var options: StoreOptions

            @Option(help: ArgumentHelp("The database, e.g. postgres://feed@db.city:5432/ledgers.", valueName: "URL"))
            var url: String

            @Option(name: .customLong("ledger-id"), help: ArgumentHelp("The district's id in the city's tables (default: the prefix of the log's case numbers).", valueName: "ID"))
            var ledgerID: String?

            @Flag(help: "Keep shipping as the hall appends, until SIGTERM or Ctrl-C (the batch in flight commits first).")
            var follow = false

            @Option(name: .customLong("batch-size"), help: "Events per transaction.")
            var batchSize = 50_000

            func validate() throws {
                guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
                if let ledgerID {
                    do { try FeedError.validate(ledgerID: ledgerID) } catch { throw ValidationError(error.description) }
                }
                do { try PostgresFeed.validate(url: url) } catch { throw ValidationError(error.description) }
            }

            /// Warnings only (a lost connection in --follow); stderr is for the one-line error.
            private var quietLogger: Logger {
                var logger = Logger(label: "ledger.feed")
                logger.logLevel = .warning
                return logger
            }

            func run() async throws {
                let store = try options.openEvents(readOnly: true)
                let id = try ledgerID ?? PostgresFeed.ledgerID(of: store)
                let models = try FeedReadModels(store: store, directory: options.store + "/feed-views",
                                                calendar: try options.calendar(), rules: try options.rules())
                let feed = try PostgresFeed(store: store, models: models, ledgerID: id,
                                            url: url,
                                            batchSize: batchSize, logger: quietLogger)
                do {
                    if follow {
                        // SIGTERM or Ctrl-C: the batch in flight commits, then the feed stops (exit 0).
                        let following = Task {
                            try await feed.follow { round in
                                // Flushed at once: a pipe or a log file reads the progress as it happens.
                                if round.events > 0 {
                                    print("\(id): shipped \(round.events) events; checkpoint \(round.shipped)")
                                    fflush(nil)
                                }
                            }
                        }
                        let stop = StopSignals { following.cancel() }
                        try await following.value
                        stop.cancel()
                        print("\(id): stopped at checkpoint seq \(feed.lag.shipped)")
                    } else {
                        let round = try await feed.shipAvailable()
                        print("\(id): shipped \(round.events) events in \(round.batches) transaction(s); checkpoint \(round.shipped)")
                    }
                } catch {
                    throw UserError(FeedError.line(for: error, url: url))
                }
            }
        }
    }
}

/// Calls `stop` on SIGTERM or SIGINT instead of dying, for commands that end gracefully.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
