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
            in CSV (rounded to 4 places) and JSON (full precision), percentages in the table; the \
            formulas are printed under the table and kept in the JSON's `formula`. CSV is UTF-8 with \
            a byte-order mark, so Excel opens it right on Chinese Windows (--no-bom leaves it out). \
            Every figure of `ledger demo`'s summary comes from one of these reports (Docs/FIGURES.md).
            """,
            subcommands: [ProcessingTime.self, Convenience.self, Evaluations.self, GoldWindows.self, Grants.self])

        struct ProcessingTime: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "processing-time",
                abstract: "办理时效: on-time rate, overdue, 即办 share, effective days, actual and catalog compression.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window, item or theme (一件事).", valueName: "DIMENSION"),
                    transform: parseDimension)
            var by: ReportDimension = .quarter
            @OptionGroup var rows: ItemRows

            func validate() throws { try rows.validate(by: by) }

            func run() throws {
                try report.render(options, view: .processingTime, by: by, items: rows.items, table: ReportTables.processingTime,
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
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window, item or theme (一件事).", valueName: "DIMENSION"),
                    transform: parseDimension)
            var by: ReportDimension = .quarter
            @OptionGroup var rows: ItemRows

            func validate() throws { try rows.validate(by: by) }

            func run() throws {
                try report.render(options, view: .processingTime, by: by, items: rows.items, table: ReportTables.convenience,
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
            @Option(help: ArgumentHelp("Rows by quarter, level, department, window, item or theme (一件事).", valueName: "DIMENSION"),
                    transform: parseDimension)
            var by: ReportDimension = .quarter
            @OptionGroup var rows: ItemRows

            func validate() throws { try rows.validate(by: by) }

            func run() throws {
                try report.render(options, view: .evaluations, by: by, items: rows.items, table: ReportTables.evaluations,
                                 csv: ReportTables.evaluationsCSV) { views, reader in
                    try views.evaluations.report(reader, period: report.period, by: by)
                }
            }
        }

        struct GoldWindows: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "gold-windows",
                abstract: "金牌窗口: each quarter's ranking with every score's breakdown.",
                discussion: "Its rows are always the windows of each quarter, so it takes no --by; --year and --quarter pick the quarters.")
            @OptionGroup var options: StoreOptions
            @OptionGroup var report: ReportOptions

            func run() throws {
                let views = try report.open(options)
                var result = try views.runner.read(.goldWindow) { reader in
                    try views.goldWindow.report(reader, period: report.period)
                }
                result.quarters = result.quarters.map(views.names.named)
                try report.format.write(result, byteOrderMark: !report.noByteOrderMark, table: ReportTables.goldWindows(result),
                                        csv: ReportTables.goldWindowsCSV(result))
            }
        }
    }
}

/// Options every report shares.
struct ReportOptions: ParsableArguments {
    @Option(help: "Only this year's quarters.")
    var year: Int?

    @Option(help: ArgumentHelp("Only this quarter (1–4) of --year (give both).", valueName: "Q"))
    var quarter: Int?

    @Option(help: "table (aligned for a terminal), csv (RFC 4180, UTF-8 with a byte-order mark, for spreadsheets) or json (stable keys).")
    var format: ReportFormat = .table

    @Flag(name: .customLong("no-bom"), help: "CSV without the UTF-8 byte-order mark, for tools that dislike it (Excel needs it to read Chinese).")
    var noByteOrderMark = false

    func validate() throws {
        if let quarter, !(1 ... 4).contains(quarter) { throw ValidationError("--quarter must be 1, 2, 3 or 4") }
        if let year, !(1 ... 9999).contains(year) { throw ValidationError("--year must be 1 to 9999") }
        if let quarter, year == nil {
            throw ValidationError("--quarter \(quarter) needs --year: which year's quarter? (e.g. --year 2023 --quarter \(quarter))")
        }
        if noByteOrderMark, format != .csv { throw ValidationError("--no-bom applies to --format csv only") }
    }

    var period: ReportPeriod { ReportPeriod(year: year, quarter: quarter) }

    /// Reads a report with rows from `view`, names the window rows, and prints it.
    /// `items`, when not empty, keeps only those item rows (`--by item --item CODE`).
    func render<R: RowsReport>(_ options: StoreOptions, view: ViewName, by dimension: ReportDimension, items: [String] = [],
                              table: (R) -> String, csv: (R) -> [[String]],
                              read: (OpenedReportViews, ViewReader) throws -> R) throws {
        let views = try open(options)
        var result = try views.runner.read(view) { try read(views, $0) }
        if !items.isEmpty {
            let known = Set(result.rows.map(\.key))
            let catalog = HallNames(store: try options.openEvents(readOnly: true), options: options).items
            if let unknown = items.first(where: { catalog[$0] == nil && !known.contains($0) }) {
                throw UserError("--item \(unknown): no such item in the store's catalog")
            }
            result.rows = result.rows.filter { items.contains($0.key) }
        }
        let themes = dimension == .theme ? ThemeNames.load(options) : ThemeNames(names: [:])
        result.rows = result.rows.map { themes.relabel(views.names.relabel($0, dimension), dimension) }
        try format.write(result, byteOrderMark: !noByteOrderMark, table: table(result), csv: csv(result))
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

    /// Prints `value` in this format (CSV after a byte-order mark unless `byteOrderMark` is false).
    func write(_ value: some Encodable, byteOrderMark: Bool, table: @autoclosure () -> String,
               csv: @autoclosure () -> [[String]]) throws {
        switch self {
        case .table: print(table())
        case .csv: writeStdout(CSV.bytes(csv(), byteOrderMark: byteOrderMark))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            writeStdout(Array(try encoder.encode(value)) + [UInt8(ascii: "\n")])
        }
    }
}
