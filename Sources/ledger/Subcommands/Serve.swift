import ArgumentParser
import CaseDomain
import ContactsVault
import Feed
import Foundation
import HallServer
import Hummingbird
import Ledger
import Logging
import ProjectionKit

extension LedgerCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the hall over HTTP: the JSON API with roles, the live board, the dashboard, the case pages and /public.",
            discussion: """
            One process owns the store's writer; the views follow the log in the background. \
            Tokens come from --tokens (create them with `ledger token add`); the file must be mode 600, and is \
            re-read when it changes, so a revoked token stops working at once. \
            SIGTERM or Ctrl-C shut down gracefully: in-flight appends finish first. \
            With --tls-cert and --tls-key the server speaks HTTPS only. The API is described at /openapi.yaml. \
            With --feed-url the server also ships the log into PostgreSQL as `ledger feed postgres --follow` does \
            (retrying while PostgreSQL is away; its lag and state on /metrics; Docs/FEED.md).
            """)

        @OptionGroup var options: StoreOptions

        @Option(help: "The address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on.")
        var port = 8080

        @Option(help: ArgumentHelp("The tokens file (JSON, mode 600). Default: STORE/tokens.json.", valueName: "FILE"))
        var tokens: String?

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS.", valueName: "FILE"))
        var tlsCertificate: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "FILE"))
        var tlsKey: String?

        @Option(help: ArgumentHelp("The day the board counts working days to, YYYY-MM-DD (e.g. a demo year's last day). Default: today in China Standard Time.",
                                   valueName: "DATE"), transform: parseCivilDate)
        var today: CivilDate?

        @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Requests per token per second before 429; 0: no limit.", valueName: "N"))
        var rateLimit = Int(HallLimits().requestsPerTokenPerSecond)

        @Option(name: .customLong("max-connections"),
                help: ArgumentHelp("Client connections held open at once; more wait in the listen queue until one closes. 0: no limit.", valueName: "N"))
        var maxConnections = HallServerConfiguration.defaultMaxConnections

        @Option(name: .customLong("feed-url"),
                help: ArgumentHelp("Also ship the log into this PostgreSQL database, exactly once (off without it), e.g. postgres://feed@db.city:5432/ledgers.", valueName: "URL"))
        var feedURL: String?

        @Option(name: .customLong("feed-ledger-id"),
                help: ArgumentHelp("The district's id in the city's tables (default: the prefix of the log's case numbers).", valueName: "ID"))
        var feedLedgerID: String?

        @Option(name: .customLong("feed-batch-size"), help: ArgumentHelp("Events per transaction of the feed.", valueName: "N"))
        var feedBatchSize = 50_000

        func validate() throws {
            if let feedURL {
                do { try PostgresFeed.validate(url: feedURL) } catch { throw ValidationError(error.description) }
            } else if feedLedgerID != nil {
                throw ValidationError("--feed-ledger-id needs --feed-url")
            }
            if let feedLedgerID {
                do { try FeedError.validate(ledgerID: feedLedgerID) } catch { throw ValidationError(error.description) }
            }
            if feedBatchSize < 1 { throw ValidationError("--feed-batch-size must be at least 1") }
            if rateLimit < 0 { throw ValidationError("--rate-limit must be 0 (no limit) or more") }
            if maxConnections < 0 { throw ValidationError("--max-connections must be 0 (no limit) or more") }
            if !(1 ... 65535).contains(port) { throw ValidationError("--port must be 1 to 65535") }
            if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
        }

        func run() async throws {
            let tokenFile = TokenFile(path: tokens ?? options.store + "/tokens.json")
            let records: [TokenRecord]
            do { records = try tokenFile.load() } catch { throw UserError("\(error)") }
            if records.isEmpty {
                FileHandle.standardError.write(Data("note: no tokens in \(tokenFile.path): only /public, /healthz, /readyz, /metrics and /openapi.yaml answer; create one with `ledger token add --role manager --name NAME`\n".utf8))
            }
            for path in [tlsCertificate, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
                throw UserError("cannot read \(path)")
            }
            // A store this process cannot write (a read-only mount, an auditor's copy) is served
            // read-only: every read answers for the whole log, appends are refused with 503.
            let writable = ReadOnlyViews.canWrite(options.eventsPath)
            let ledger = try writable ? options.openLedger()
                : CaseLedger(store: options.openEvents(readOnly: true), calendar: options.calendar())
            if !writable {
                FileHandle.standardError.write(Data("note: the store at \(options.store) cannot be written: serving it read-only (appends are refused with 503)\n".utf8))
            }
            let views = try options.openViews(ledger.store)
            let windows = (try? ServiceWindow.load(from: try options.seedsDirectory.appendingPathComponent("windows.json"))) ?? []
            let day = today ?? CivilDate(instantMilliseconds: Timestamp.now().milliseconds)
            do { _ = try ledger.calendar.isWorkingDay(day) } catch {
                throw UserError("\(today == nil ? "today (\(day))" : "--today \(day)") is outside the loaded calendars; pass --today YYYY-MM-DD within them")
            }
            var limits = HallLimits()
            limits.requestsPerTokenPerSecond = Double(rateLimit)
            // The contacts vault, when the store has one (`ledger applicant add` creates it).
            let vaultDirectory = options.store + "/contacts"
            let contacts = FileManager.default.fileExists(atPath: vaultDirectory + "/data.mdb")
                ? try ContactsVault(directory: vaultDirectory, ledger: ledger) : nil
            let hall = try Hall(ledger: ledger, runner: views, rules: try options.rules(), windows: windows,
                                tokens: TokenAuthority(records: records), tokensFile: tokenFile, contacts: contacts,
                                today: today, limits: limits)
            try hall.catchUp()
            var logger = Logger(label: "ledger.hall")
            logger.logLevel = .info
            let feed = try feedURL.map { url in HallFeedService(hall: hall, feed: try makeFeed(url: url, store: ledger.store)) }
            let app = try buildApplication(hall: hall, configuration: HallServerConfiguration(
                host: host, port: port, tlsCertificate: tlsCertificate, tlsKey: tlsKey, maxConnections: maxConnections), logger: logger,
                feed: feed)
            try await app.runService()
        }

        /// The feed of `--feed-url`, with its own views in STORE/feed-views (as `ledger feed postgres`).
        private func makeFeed(url: String, store: EventStore) throws -> PostgresFeed {
            let id: String
            if let feedLedgerID { id = feedLedgerID } else {
                do { id = try PostgresFeed.ledgerID(of: store) } catch let error as FeedError {
                    throw UserError("--feed-url: \(error.description)")
                }
            }
            let models = try FeedReadModels(store: store, directory: options.store + "/feed-views",
                                            calendar: try options.calendar(), rules: try options.rules())
            var logger = Logger(label: "ledger.feed")
            logger.logLevel = .warning
            FileHandle.standardError.write(Data("note: shipping the log into PostgreSQL as ledger \(id) (see ledger_feed_* on /metrics)\n".utf8))
            return try PostgresFeed(store: store, models: models, ledgerID: id, url: url, batchSize: feedBatchSize, logger: logger)
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue, list and revoke the server's bearer tokens (stored as SHA-256 hashes, file mode 600).",
            subcommands: [Add.self, List.self, Revoke.self])

        struct FileOption: ParsableArguments {
            @Option(help: ArgumentHelp("The tokens file. Default: ./ledger-data/tokens.json.", valueName: "FILE"))
            var tokens = "./ledger-data/tokens.json"
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Issue a token and print it once (only its hash is kept).")
            @OptionGroup var file: FileOption
            @Option(help: "clerk, manager, analyst, auditor or admin.")
            var role: HallRoleArgument
            @Option(name: .customLong("window"), help: ArgumentHelp("A clerk's window (repeat for several).", valueName: "W"))
            var windows: [String] = []
            @Option(name: .customLong("department"), help: ArgumentHelp("A department granted to a 首席服务员 (repeat for several).", valueName: "D"))
            var departments: [String] = []
            @Option(help: ArgumentHelp("The holder, recorded as the actor of their events (e.g. clerk-07).", valueName: "N"))
            var name: String

            func validate() throws {
                if role.role == .clerk, windows.isEmpty { throw ValidationError("a clerk's token needs at least one --window") }
                if role.role != .clerk, !windows.isEmpty || !departments.isEmpty {
                    throw ValidationError("--window and --department are for clerks only")
                }
                if name.isEmpty || name.utf8.count > 64 || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                    throw ValidationError("--name must be 1 to 64 bytes without control characters")
                }
            }

            func run() throws {
                try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file.tokens).deletingLastPathComponent().path,
                                                        withIntermediateDirectories: true)
                do {
                    let issued = try TokenFile(path: file.tokens).add(name: name, role: role.role, windows: windows, departments: departments)
                    print(issued.token)
                    FileHandle.standardError.write(Data("token \(issued.record.id) for \(name) (\(role.role.rawValue)) added to \(file.tokens); it is shown only this once\n".utf8))
                } catch let error as TokenFileError { throw UserError(error.description) }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The tokens: id, holder, role, windows, created, revoked.")
            @OptionGroup var file: FileOption

            func run() throws {
                let records: [TokenRecord]
                do { records = try TokenFile(path: file.tokens).load() } catch let error as TokenFileError { throw UserError(error.description) }
                let rows = records.map { r in
                    [r.id, r.name, r.role.rawValue, (r.windows + r.departments).joined(separator: ","), r.created, r.revoked ?? ""]
                }
                print(TextTable(header: ["id", "name", "role", "windows", "created", "revoked"], rows: rows).rendered)
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke the tokens with this id or holder name (a running server refuses them from its next request on).")
            @OptionGroup var file: FileOption
            @Argument(help: ArgumentHelp("A token id (from `token list`) or a holder's name.", valueName: "ID|NAME"))
            var token: String

            func run() throws {
                let count: Int
                do { count = try TokenFile(path: file.tokens).revoke(token) } catch let error as TokenFileError { throw UserError(error.description) }
                guard count > 0 else { throw UserError("no live token with id or name \(token) (see `ledger token list`)") }
                print("revoked \(count) token\(count == 1 ? "" : "s")")
            }
        }
    }
}

/// `--role` as the command line takes it.
struct HallRoleArgument: ExpressibleByArgument {
    let role: HallRole
    init?(argument: String) {
        guard let role = HallRole(rawValue: argument) else { return nil }
        self.role = role
    }
    static var allValueStrings: [String] { HallRole.allCases.map(\.rawValue) }
}
