import EvaluationsProjection
import Foundation
import GoldWindowProjection
import ProcessingTimeProjection
import CaseStatistics

/// The analysts' reports, read from the views, with window rows named as the hall names them.
extension Hall {
    enum ReportName: String, CaseIterable {
        case processingTime = "processing-time"
        case convenience
        case evaluations
        case goldWindows = "gold-windows"
    }

    func processingTimeReport(_ period: ReportPeriod, by dimension: ReportDimension) throws -> ProcessingTimeReport {
        var report = try runner.read(processingTime.name) { try processingTime.report($0, period: period, by: dimension) }
        if dimension == .window { for i in report.rows.indices { report.rows[i].label = windowName(report.rows[i].key) ?? report.rows[i].label } }
        return report
    }

    func convenienceReport(_ period: ReportPeriod, by dimension: ReportDimension) throws -> ConvenienceReport {
        var report = try runner.read(processingTime.name) { try processingTime.convenience($0, period: period, by: dimension) }
        if dimension == .window { for i in report.rows.indices { report.rows[i].label = windowName(report.rows[i].key) ?? report.rows[i].label } }
        return report
    }

    func evaluationsReport(_ period: ReportPeriod, by dimension: ReportDimension) throws -> EvaluationsReport {
        var report = try runner.read(evaluations.name) { try evaluations.report($0, period: period, by: dimension) }
        if dimension == .window { for i in report.rows.indices { report.rows[i].label = windowName(report.rows[i].key) ?? report.rows[i].label } }
        return report
    }

    func goldWindowReport(_ period: ReportPeriod) throws -> GoldWindowReport {
        var report = try runner.read(goldWindow.name) { try goldWindow.report($0, period: period) }
        for q in report.quarters.indices {
            for i in report.quarters[q].windows.indices { report.quarters[q].windows[i].name = windowName(report.quarters[q].windows[i].window) }
            for i in report.quarters[q].disqualified.indices {
                report.quarters[q].disqualified[i].name = windowName(report.quarters[q].disqualified[i].window)
            }
        }
        return report
    }

    /// The report as stable JSON (sorted keys), or CSV (RFC 4180: a header, then one line per row).
    func report(_ name: ReportName, period: ReportPeriod, by dimension: ReportDimension, csv: Bool) throws -> [UInt8] {
        switch name {
        case .processingTime:
            let report = try processingTimeReport(period, by: dimension)
            return csv ? try CSVTable.rows(report.rows) : try Self.json(report)
        case .convenience:
            let report = try convenienceReport(period, by: dimension)
            return csv ? try CSVTable.rows(report.rows) : try Self.json(report)
        case .evaluations:
            let report = try evaluationsReport(period, by: dimension)
            return csv ? try CSVTable.rows(report.rows) : try Self.json(report)
        case .goldWindows:
            let report = try goldWindowReport(period)
            return csv ? CSVTable.goldWindows(report) : try Self.json(report)
        }
    }

    static func json(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [10]
    }
}

/// Reports as CSV for spreadsheets.
enum CSVTable {
    /// One column per field of the rows (in the rows' JSON key order, sorted); arrays joined with `;`.
    static func rows(_ rows: [some Encodable]) throws -> [UInt8] {
        let objects = try rows.map { row -> [String: Any] in
            let data = try Hall.json(row)
            return (try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any]) ?? [:]
        }
        let columns = objects.first.map { $0.keys.sorted() } ?? []
        var lines = [columns]
        for object in objects { lines.append(columns.map { cell(object[$0]) }) }
        return render(lines)
    }

    /// One line per quarter and window, with every score's points.
    static func goldWindows(_ report: GoldWindowReport) -> [UInt8] {
        var lines = [["quarter", "window", "name", "rank", "gold", "score", "completed", "disqualification"]
            + GoldWindowReport.components.map { "points_" + $0 }]
        for quarter in report.quarters {
            for entry in quarter.windows + quarter.disqualified {
                var line = [quarter.quarter, entry.window, entry.name ?? "", entry.rank.map(String.init) ?? "", entry.gold ? "1" : "0",
                            String(entry.score), String(entry.completed), entry.disqualification ?? ""]
                for component in GoldWindowReport.components {
                    line.append(entry.breakdown.first { $0.name == component }.map { String($0.points) } ?? "")
                }
                lines.append(line)
            }
        }
        return render(lines)
    }

    private static func cell(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: ""
        case let array as [Any]: array.map { "\($0)" }.joined(separator: ";")
        case let number as NSNumber: number.stringValue
        case let value?: "\(value)"
        }
    }

    static func render(_ lines: [[String]]) -> [UInt8] {
        var out = ""
        for line in lines {
            out += line.map { field in
                // Quoted when it holds a separator; a leading formula character is neutralised so
                // a spreadsheet does not evaluate a label as a formula.
                var field = field
                if let first = field.first, "=+-@".contains(first), Double(field) == nil { field = "'" + field }
                return field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
            out += "\r\n"
        }
        return Array(out.utf8)
    }
}
