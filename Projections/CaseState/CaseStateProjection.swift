// Placeholder replaced by the CaseState read model (issue 4).
import CaseDomain
import Ledger
import ProjectionKit

public struct CaseStateProjection: Projection {
    public let calendar: WorkCalendar
    public init(calendar: WorkCalendar) { self.calendar = calendar }
    public var name: String { "caseState" }
    public var version: Int { 0 }
    public var databases: [ViewDatabase] { [] }
    public func apply(_ events: ArraySlice<EventView>, to view: ViewWriter) throws {}
}
