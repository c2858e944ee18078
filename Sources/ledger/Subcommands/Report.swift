import ArgumentParser
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import ProcessingTimeProjection
import ProjectionKit
import CaseStatistics

extension LedgerCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The analysts' statistics: processing time, convenience, 好差评, 金牌窗口.",
            discussion: """
            Each report catches the views up with the log first, then reads them. Ratios are in 0…1 \
            in CSV and JSON (percentages in the table); the formulas are printed under the table and \
            kept in the JSON's `formula`.
            """,
            subcommands: [ProcessingTime.self, Convenience.self, Evaluations.self, GoldWindows.self, Grants.self])

        struct ProcessingTime: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "processing-time",
                abstract: "办理时效: on-time rate, overdue, 即办 share, effective days, actual and catalog compression.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window or item.", valueName: "DIMENSION"))
            var by: ReportDimension = .quarter

            func run() throws {
                try report.render(options, view: .processingTime, by: by, table: ReportTables.processingTime,
                                 csv: ReportTables.processingTimeCSV) { views, reader in
                    try views.processingTime.report(reader, period: report.period, by: by)
                }
            }
        }

        struct Convenience: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "便民: ≤ 1 visit, 0 visits, fully online, materials waived, cross-region, assisted.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window or item.", valueName: "DIMENSION"))
            var by: ReportDimension = .quarter

            func run() throws {
                try report.render(options, view: .processingTime, by: by, table: ReportTables.convenience,
                                 csv: ReportTables.convenienceCSV) { views, reader in
                    try views.processingTime.convenience(reader, period: report.period, by: by)
                }
            }
        }

        struct Evaluations: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "好差评: levels, 好评率, score, 差评 rectification and call-backs, 主动评价率.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window or item.", valueName: "DIMENSION"))
            var by: ReportDimension = .quarter

            func run() throws {
                try report.render(options, view: .evaluations, by: by, table: ReportTables.evaluations,
                                 csv: ReportTables.evaluationsCSV) { views, reader in
                    try views.evaluations.report(reader, period: report.period, by: by)
                }
            }
        }

        struct GoldWindows: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "gold-windows",
                abstract: "金牌窗口: each quarter's ranking with every score's breakdown.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions

            func run() throws {
                let views = try report.open(options)
                var result = try views.runner.read(.goldWindow) { reader in
                    try views.goldWindow.report(reader, period: report.period)
                }
                result.quarters = result.quarters.map(views.names.named)
                try report.format.write(result, table: ReportTables.goldWindows(result), csv: ReportTables.goldWindowsCSV(result))
            }
        }
    }
}

/// Options every report shares.
struct ReportOptions: ParsableArguments {
    @Option(help: "Only this year's quarters.")
    var year: Int?

    @Option(help: ArgumentHelp("Only this quarter (1–4), of --year or of every year.", valueName: "Q"))
    var quarter: Int?

    @Option(help: "table (aligned for a terminal), csv (RFC 4180, for spreadsheets) or json (stable keys).")
    var format: ReportFormat = .table

    func validate() throws {
        if let quarter, !(1 ... 4).contains(quarter) { throw ValidationError("--quarter must be 1, 2, 3 or 4") }
        if let year, !(1 ... 9999).contains(year) { throw ValidationError("--year must be 1 to 9999") }
    }

    var period: ReportPeriod { ReportPeriod(year: year, quarter: quarter) }

    /// Reads a report with rows from `view`, names the window rows, and prints it.
    func render<R: RowsReport>(_ options: StoreOptions, view: ViewName, by dimension: ReportDimension,
                              table: (R) -> String, csv: (R) -> [[String]],
                              read: (OpenedReportViews, ViewReader) throws -> R) throws {
        let views = try open(options)
        var result = try views.runner.read(view) { try read(views, $0) }
        result.rows = result.rows.map { views.names.relabel($0, dimension) }
        try format.write(result, table: table(result), csv: csv(result))
    }

    /// The views, caught up, and the projections to read them with.
    func open(_ options: StoreOptions) throws -> OpenedReportViews {
        let runner = try options.openViews(try options.openEvents(readOnly: true))
        let views = try options.hallViews()
        return OpenedReportViews(runner: runner, names: WindowNames.load(options), processingTime: views.processingTime,
                                 evaluations: views.evaluations, goldWindow: views.goldWindow)
    }
}

struct OpenedReportViews {
    let runner: ProjectionRunner
    let names: WindowNames
    let processingTime: ProcessingTimeProjection
    let evaluations: EvaluationsProjection
    let goldWindow: GoldWindowProjection
}

extension ReportDimension: ExpressibleByArgument {}

/// A report whose rows carry a key and a label (window rows get the window's name).
protocol RowsReport: Encodable {
    associatedtype Row: LabeledReportRow
    var rows: [Row] { get set }
}

extension ProcessingTimeReport: RowsReport {}
extension ConvenienceReport: RowsReport {}
extension EvaluationsReport: RowsReport {}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    /// Prints `value` in this format.
    func write(_ value: some Encodable, table: @autoclosure () -> String, csv: @autoclosure () -> [[String]]) throws {
        switch self {
        case .table: print(table())
        case .csv: writeStdout(Array(CSV.render(csv()).utf8))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            writeStdout(Array(try encoder.encode(value)) + [UInt8(ascii: "\n")])
        }
    }
}
