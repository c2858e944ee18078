// Placeholder replaced by the GoldWindow read model (issue 4).
import CaseDomain
import Ledger
import ProjectionKit
import ProjectionSupport

public struct GoldWindowProjection: Projection {
    public let calendar: WorkCalendar
    public let rules: HallRules
    public init(calendar: WorkCalendar, rules: HallRules) { self.calendar = calendar; self.rules = rules }
    public var name: String { "goldWindow" }
    public var version: Int { 0 }
    public var databases: [ViewDatabase] { [] }
    public func apply(_ events: ArraySlice<EventView>, to view: ViewWriter) throws {}
}
