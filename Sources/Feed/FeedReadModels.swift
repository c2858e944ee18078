import CaseDomain
import CaseStateProjection
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import HallViews
import Ledger
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics

/// The read models the feed ships beside the events: the four projections over the store, in a
/// views directory of the feed's own (so that nothing else moves them while a round reads them),
/// and the rows they give for PostgreSQL.
public final class FeedReadModels: Sendable {
    let runner: ProjectionRunner
    let calendar: WorkCalendar
    let processingTime: ProcessingTimeProjection
    let evaluations: EvaluationsProjection
    let goldWindow: GoldWindowProjection

    /// Opens (creating) the feed's views of `store` in `directory`.
    public init(store: EventStore, directory: String, calendar: WorkCalendar, rules: HallRules) throws {
        self.calendar = calendar
        let views = HallViews(calendar: calendar, rules: rules)
        processingTime = views.processingTime
        evaluations = views.evaluations
        goldWindow = views.goldWindow
        runner = try ProjectionRunner(store: store, directory: directory, projections: views.all)
    }

    /// Brings the views up to the log's head; returns the seq they reflect.
    func catchUp() throws -> UInt64 { try runner.catchUp() }

    /// Case-state rows of `cases` (COPY text for `case_states`), as the views hold them at `seq`.
    func caseStateRows(_ cases: Set<String>, ledgerID: String, seq: UInt64, into rows: inout CopyText) throws {
        try runner.read(.caseState) { reader in
            let view = CaseStateView(reader, calendar: calendar)
            for caseNumber in cases.sorted() where caseNumber != CaseNumber.catalog.rawValue {
                guard let file = try view.file(of: CaseNumber(unvalidated: caseNumber)), let status = file.status else { continue }
                rows.text(ledgerID)
                rows.text(caseNumber)
                rows.text(status.rawValue)
                rows.text(file.acceptance?.item ?? file.submission?.item)
                rows.text(file.submission?.channel.rawValue)
                rows.text(file.window)
                rows.timestamp(file.acceptedAt)
                rows.timestamp(file.completedAt)
                rows.integer(file.acceptance?.legalDays)
                rows.integer(file.acceptance?.promisedDays)
                rows.text(file.acceptance?.deadline.description)
                rows.integer(file.extensionDays)
                rows.integer(file.suspensions.count)
                rows.integer(file.visits)
                rows.integer(file.materialsReduced)
                rows.boolean(file.assisted)
                rows.integer(file.evaluations.count)
                rows.integer(file.evaluations.last?.level)
                rows.integer(file.version ?? 0)
                rows.timestamp(file.lastEventAt)
                rows.integer(seq)
                rows.endRow()
            }
        }
    }

    /// Every report row (COPY text for `report_rows`): processing time, convenience and 好差评 by
    /// quarter, level, department, window and item over all periods, and by level, department,
    /// window and item within each quarter. Exactly what `ledger report … --format json` prints.
    func reportRows(ledgerID: String, seq: UInt64, into rows: inout CopyText) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The total row goes once per period, as dimension `total` (a window row may have the key "").
        func add<Row: Encodable>(_ report: String, _ period: ReportPeriod, _ dimension: ReportDimension,
                                 total: Row, _ list: [Row], key: (Row) -> String, label: (Row) -> String) throws {
            let withTotal = dimension == .quarter || (period != .all && dimension == .level)
            for (index, row) in ((withTotal ? [total] : []) + list).enumerated() {
                rows.text(ledgerID)
                rows.text(report)
                rows.text(period.description)
                rows.text(withTotal && index == 0 ? "total" : dimension.rawValue)
                rows.text(key(row))
                rows.text(label(row))
                rows.text(try encoder.encode(row))
                rows.integer(seq)
                rows.endRow()
            }
        }
        let quarters = try runner.read(processingTime.name) { reader in
            try processingTime.report(reader, period: .all, by: .quarter).rows.compactMap { Quarter($0.key) }
        }
        var periods: [(ReportPeriod, [ReportDimension])] = [(.all, ReportDimension.allCases)]
        for quarter in quarters {
            periods.append((ReportPeriod(year: quarter.year, quarter: quarter.quarter), ReportDimension.allCases.filter { $0 != .quarter }))
        }
        try runner.read(processingTime.name) { reader in
            for (period, dimensions) in periods {
                for dimension in dimensions {
                    let report = try processingTime.report(reader, period: period, by: dimension)
                    try add("processingTime", period, dimension, total: report.total, report.rows, key: \.key, label: \.label)
                    let convenience = try processingTime.convenience(reader, period: period, by: dimension)
                    try add("convenience", period, dimension, total: convenience.total, convenience.rows, key: \.key, label: \.label)
                }
            }
        }
        try runner.read(evaluations.name) { reader in
            for (period, dimensions) in periods {
                for dimension in dimensions {
                    let report = try evaluations.report(reader, period: period, by: dimension)
                    try add("evaluations", period, dimension, total: report.total, report.rows, key: \.key, label: \.label)
                }
            }
        }
    }

    /// Every quarter's 金牌窗口 ranking (COPY text for `gold_windows`), disqualified windows included.
    func goldWindowRows(ledgerID: String, seq: UInt64, into rows: inout CopyText) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let report = try runner.read(goldWindow.name) { try goldWindow.report($0, period: .all) }
        for quarter in report.quarters {
            for entry in quarter.windows + quarter.disqualified {
                rows.text(ledgerID)
                rows.text(quarter.quarter)
                rows.text(entry.window)
                rows.text(entry.name)
                rows.double(entry.score)
                rows.integer(entry.rank)
                rows.boolean(entry.gold)
                rows.integer(entry.completed)
                rows.text(entry.disqualification)
                rows.text(try encoder.encode(entry.breakdown))
                rows.integer(seq)
                rows.endRow()
            }
        }
    }
}
