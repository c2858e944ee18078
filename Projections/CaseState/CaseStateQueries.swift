import CaseDomain
import Ledger
import ProjectionKit

/// The `caseState` queries over a projection runner: each one reads one snapshot of the live
/// view. The runner must hold a `CaseStateProjection`; its calendar computes the day counts.
///
/// ```swift
/// let queries = try CaseStateQueries(runner)
/// let late = try queries.overdue(today: CivilDate(iso: "2023-06-30")!)
/// let then = try queries.state(of: number, asOf: Timestamp(rfc3339: "2023-06-14T12:00:00+08:00")!)
/// ```
public struct CaseStateQueries: Sendable {
    public let runner: ProjectionRunner
    public let calendar: WorkCalendar

    /// - Throws: `CaseStateError.projectionNotRegistered` when the runner has no `CaseStateProjection`.
    public init(_ runner: ProjectionRunner) throws {
        guard let projection = runner.projections.lazy.compactMap({ $0 as? CaseStateProjection }).first else {
            throw CaseStateError.projectionNotRegistered
        }
        self.runner = runner
        calendar = projection.calendar
    }

    /// Runs `body` on one snapshot of the view.
    public func read<R>(_ body: (CaseStateView) throws -> R) throws -> R {
        try runner.read(.caseState) { try body(CaseStateView($0, calendar: calendar)) }
    }

    public func state(of caseNumber: CaseNumber, today: CivilDate) throws -> CaseStateReport? {
        try read { try $0.state(of: caseNumber, today: today) }
    }

    public func queue(window: String, today: CivilDate) throws -> [CaseStateReport] {
        try read { try $0.queue(window: window, today: today) }
    }

    public func due(withinWorkingDays n: Int, today: CivilDate, window: String? = nil) throws -> [CaseStateReport] {
        try read { try $0.due(withinWorkingDays: n, today: today, window: window) }
    }

    public func overdue(today: CivilDate, window: String? = nil) throws -> [CaseStateReport] {
        try read { try $0.overdue(today: today, window: window) }
    }

    /// The case as it stood at `moment`, replayed from the log (not the view), with its day
    /// counts computed for `moment`'s CST date. nil when the case had no events by then.
    public func state(of caseNumber: CaseNumber, asOf moment: Timestamp) throws -> CaseStateReport? {
        try CaseStateReport.replaying(caseNumber, asOf: moment, from: runner.store, calendar: calendar)
    }
}
