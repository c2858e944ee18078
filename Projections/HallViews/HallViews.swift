import CaseDomain
import CaseStateProjection
import EvaluationsProjection
import GoldWindowProjection
import ProcessingTimeProjection
import ProjectionKit

/// The hall's four read models, built from the district's calendar and rules in this one place
/// for every program that opens them (the CLI, the server, the feed, the benchmark).
public struct HallViews: Sendable {
    public let caseState: CaseStateProjection
    public let processingTime: ProcessingTimeProjection
    public let evaluations: EvaluationsProjection
    public let goldWindow: GoldWindowProjection

    public init(calendar: WorkCalendar, rules: HallRules) {
        caseState = CaseStateProjection(calendar: calendar)
        processingTime = ProcessingTimeProjection(calendar: calendar)
        evaluations = EvaluationsProjection(calendar: calendar, rules: rules)
        goldWindow = GoldWindowProjection(calendar: calendar, rules: rules)
    }

    /// Every view, in the order the runner feeds them.
    public var all: [any Projection] { [caseState, processingTime, evaluations, goldWindow] }
}
