// Placeholder replaced by the ProcessingTime read model (issue 4).
import CaseDomain
import Ledger
import ProjectionKit
import ProjectionSupport

public struct ProcessingTimeProjection: Projection {
    public let calendar: WorkCalendar
    public init(calendar: WorkCalendar) { self.calendar = calendar }
    public var name: String { "processingTime" }
    public var version: Int { 0 }
    public var databases: [ViewDatabase] { [] }
    public func apply(_ events: ArraySlice<EventView>, to view: ViewWriter) throws {}
}
