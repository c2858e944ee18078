import CaseDomain
import CaseStateProjection
import ContactsVault
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import HallViews
import Ledger
import Logging
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics

/// Everything the server serves from: the rules-checked ledger (every write), the views (every
/// read), the hall's windows and the tokens.
public final class Hall: Sendable {
    public let ledger: CaseLedger
    public let runner: ProjectionRunner
    public let queries: CaseStateQueries
    public let windows: [ServiceWindow]
    let liveTokens: LiveTokens
    public let progress = ViewProgress()
    public let metrics = HallMetrics()
    public let limits: HallLimits
    /// The applicants' contacts (STORE/contacts), when the store has them.
    public let contacts: ContactsVault?
    let processingTime: ProcessingTimeProjection
    let evaluations: EvaluationsProjection
    let goldWindow: GoldWindowProjection
    /// The 差评 loop's limits (`badReview` in rules.json), for the bad-review work queue.
    let badReviewLimits: BadReviewLimits
    let completions = CompletionTally()
    let rateLimiter: RateLimiter
    private let fixedToday: CivilDate?

    /// - Parameters:
    ///   - runner: must hold the four views (case state, processing time, evaluations, gold window).
    ///   - today: the day working days are counted to; nil for today in China Standard Time.
    ///   - contacts: the store's contacts vault, served to clerks under its rules.
    ///   - tokensFile: when given, the tokens are this file's, re-read whenever it changes (a
    ///     revoked token stops working on the next request); `tokens` then serve until the first.
    public init(ledger: CaseLedger, runner: ProjectionRunner, rules: HallRules, windows: [ServiceWindow],
                tokens: TokenAuthority, tokensFile: TokenFile? = nil, contacts: ContactsVault? = nil,
                today: CivilDate? = nil, limits: HallLimits = HallLimits()) throws {
        self.ledger = ledger
        self.runner = runner
        queries = try CaseStateQueries(runner)
        self.windows = windows
        liveTokens = LiveTokens(tokens, following: tokensFile)
        self.limits = limits
        self.contacts = contacts
        fixedToday = today
        let views = HallViews(calendar: ledger.calendar, rules: rules)
        processingTime = views.processingTime
        evaluations = views.evaluations
        goldWindow = views.goldWindow
        badReviewLimits = rules.badReview
        rateLimiter = RateLimiter(perSecond: limits.requestsPerTokenPerSecond)
        let metrics = metrics
        ledger.store.observeCommits { group in metrics.record(group) }
    }

    public var store: EventStore { ledger.store }

    /// The tokens in force at this moment.
    public var tokens: TokenAuthority { liveTokens.current() }

    /// The day the board counts to.
    public var today: CivilDate { fixedToday ?? CivilDate(instantMilliseconds: Timestamp.now().milliseconds) }

    func windowName(_ id: String) -> String? { windows.first { $0.id == id }?.name }

    /// Brings the views up to the log's head once and publishes how far they got.
    public func catchUp() throws {
        let started = ContinuousClock.now
        let reached = try runner.catchUp()
        try completions.advance(store)
        let took = ContinuousClock.now - started
        progress.publish(reached)
        let head = try store.digest().seq
        metrics.viewCheckpoint.set(Double(reached))
        metrics.logHead.set(Double(head))
        metrics.projectionLagEvents.set(Double(head > reached ? head - reached : 0))
        metrics.projectionLagSeconds.set(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
    }

    /// Keeps the views in step with the log until cancelled: catch up, wait for the next commit.
    public func follow(logger: Logger) async {
        while !Task.isCancelled {
            do { try catchUp() } catch {
                logger.error("views could not catch up; retrying in a second", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            await store.waitForAppend(after: progress.reached)
        }
    }

    /// Waits (bounded) for the views to reflect `seq`; returns the checkpoint seen.
    func readable(after seq: UInt64) async -> UInt64 {
        if progress.reached >= seq { return progress.reached }
        let seen = await progress.wait(until: seq, timeout: .milliseconds(50))
        if seen >= seq { return seen }
        // The follower is behind or not running (an embedder's router alone): catch up here.
        try? catchUp()
        return await progress.wait(until: seq, timeout: limits.readYourWritesWait)
    }
}

/// The server's limits; each exceeded one has its status (413 or 429).
public struct HallLimits: Sendable {
    /// Bytes in one request body (413 beyond).
    public var maxBodyBytes = 256 * 1024
    /// Events in one POST (413 beyond).
    public var maxEventsPerRequest = 100
    /// Requests per token per second, a burst of as many (429 beyond); 0: no limit.
    public var requestsPerTokenPerSecond: Double = 200
    /// How long a read waits for the views to reach a write (read-your-writes).
    public var readYourWritesWait: Duration = .seconds(2)

    public init() {}
}
