import CaseDomain
import EvaluationsProjection
import Foundation
import GoldWindowProjection
import ProcessingTimeProjection
import CaseStatistics

/// The reports as terminal tables and as CSV rows.
enum ReportTables {
    // MARK: Processing time

    static func processingTime(_ r: ProcessingTimeReport) -> String {
        let t = r.total
        let header = "办理时效 processing time — period \(r.period), by \(r.dimension.rawValue), views at seq \(r.checkpoint)\n"
            + "承诺时限压缩 catalog compression \(percent(r.catalogCompression))   实际压缩 actual compression \(percent(r.actualCompression))   "
            + "按时办结率 on-time rate \(percent(r.onTimeRate)) (\(t.onTime) of \(t.decided) decided, \(t.overdue) overdue; "
            + "\(t.withdrawn) of \(t.completed) completed were withdrawn)"
        let columns = ["completed", "withdrawn", "on time", "overdue", "on-time rate", "即办", "avg days", "actual compr.", "catalog compr.",
                       "证照", "入库"]
        func cells(_ row: ProcessingTimeRow) -> [String] {
            ["\(row.completed)", "\(row.withdrawn)", "\(row.onTime)", "\(row.overdue)", percent(row.onTimeRate), percent(row.immediateShare),
             decimal(row.averageEffectiveDays), percent(row.actualCompression), percent(row.catalogCompression),
             "\(row.certificates)", "\(row.certificatesInLibrary)"]
        }
        let table = rowTable(r.dimension, columns: columns, rows: r.rows.map { ($0.key, $0.label, cells($0)) },
                             total: cells(t))
        return [header, table, formulas(r.formula)].joined(separator: "\n\n")
    }

    static func processingTimeCSV(_ r: ProcessingTimeReport) -> [[String]] {
        let header = ["period", "dimension", "key", "label", "completed", "onTime", "overdue", "onTimeRate", "immediate",
                      "immediateShare", "averageEffectiveDays", "effectiveDaysWithLegalLimit", "legalDays",
                      "actualCompression", "catalogCompression", "extended", "suspended", "withdrawn", "decided", "effectiveDays",
                      "approved", "certificates", "electronicCertificates", "certificatesInLibrary"]
        return [header] + withTotal(r.rows, r.total, r.dimension).map { dimension, row in
            [r.period, dimension, row.key, row.label,
             "\(row.completed)", "\(row.onTime)", "\(row.overdue)", number(row.onTimeRate), "\(row.immediate)",
             number(row.immediateShare), number(row.averageEffectiveDays), "\(row.effectiveDaysWithLegalLimit)",
             "\(row.legalDays)", number(row.actualCompression), number(row.catalogCompression), "\(row.extended)",
             "\(row.suspended)", "\(row.withdrawn)", "\(row.decided)", "\(row.effectiveDays)", "\(row.approved)",
             "\(row.certificates)", "\(row.electronicCertificates)", "\(row.certificatesInLibrary)"]
        }
    }

    // MARK: Convenience

    static func convenience(_ r: ConvenienceReport) -> String {
        let t = r.total
        let header = "便民 convenience — period \(r.period), by \(r.dimension.rawValue), views at seq \(r.checkpoint)\n"
            + "最多跑一次 ≤ 1 visit \(percent(t.atMostOneVisitShare))   零跑动 0 visits \(percent(t.zeroVisitShare))   "
            + "全程网办 fully online \(percent(t.fullyOnlineShare)) of \(t.completed) completed"
        let columns = ["completed", "≤1 visit", "0 visits", "全程网办", "减材料", "跨域通办", "帮办代办", "avg visits"]
        func cells(_ row: ConvenienceRow) -> [String] {
            ["\(row.completed)", percent(row.atMostOneVisitShare), percent(row.zeroVisitShare), percent(row.fullyOnlineShare),
             percent(row.materialsWaivedShare), "\(row.crossRegion)", "\(row.assisted)", decimal(row.averageVisits)]
        }
        let table = rowTable(r.dimension, columns: columns, rows: r.rows.map { ($0.key, $0.label, cells($0)) }, total: cells(t))
        return [header, table, formulas(r.formula)].joined(separator: "\n\n")
    }

    static func convenienceCSV(_ r: ConvenienceReport) -> [[String]] {
        let header = ["period", "dimension", "key", "label", "completed", "atMostOneVisit", "atMostOneVisitShare", "zeroVisits",
                      "zeroVisitShare", "fullyOnline", "fullyOnlineShare", "materialsWaived", "materialsWaivedShare",
                      "crossRegion", "crossRegionShare", "assisted", "assistedShare", "averageVisits"]
        return [header] + withTotal(r.rows, r.total, r.dimension).map { dimension, row in
            [r.period, dimension, row.key, row.label,
             "\(row.completed)", "\(row.atMostOneVisit)", number(row.atMostOneVisitShare), "\(row.zeroVisits)",
             number(row.zeroVisitShare), "\(row.fullyOnline)", number(row.fullyOnlineShare), "\(row.materialsWaived)",
             number(row.materialsWaivedShare), "\(row.crossRegion)", number(row.crossRegionShare), "\(row.assisted)",
             number(row.assistedShare), number(row.averageVisits)]
        }
    }

    // MARK: Evaluations

    static func evaluations(_ r: EvaluationsReport) -> String {
        let t = r.total
        let header = "好差评 evaluations — period \(r.period), by \(r.dimension.rawValue), views at seq \(r.checkpoint), as of \(r.asOf ?? "—")\n"
            + "好评率 \(percent(r.goodReviewRate))   score \(decimal(r.score, digits: 2))   差评 \(t.badReviews)   "
            + "差评整改率 \(percent(r.rectificationRate))   主动评价率 \(percent(r.evaluationRate))"
        let columns = ["reviews", "L1", "L2", "L3", "L4", "L5", "好评率", "score", "差评", "整改 in time", "late", "open (overdue)",
                       "整改率", "回访 in time", "主动评价率"]
        func cells(_ row: EvaluationsRow) -> [String] {
            ["\(row.reviews)"] + row.levels.map { "\($0)" }
                + [percent(row.goodReviewRate), decimal(row.score, digits: 2), "\(row.badReviews)", "\(row.rectifiedInTime)",
                   "\(row.rectifiedLate)", "\(row.unrectified) (\(row.unrectifiedOverdue))", percent(row.rectificationRate),
                   "\(row.callBacksInTime)", percent(row.evaluationRate)]
        }
        let table = rowTable(r.dimension, columns: columns, rows: r.rows.map { ($0.key, $0.label, cells($0)) }, total: cells(t))
        return [header, table, badReviewSteps(t), formulas(r.formula)].joined(separator: "\n\n")
    }

    static let stepTitles = ["callBack": "核实/回访", "appeal": "申诉", "appealDecision": "申诉复核", "rectification": "整改",
                             "feedback": "反馈"]

    /// The 差评 loop's steps for the total: on time, late, waiting (past the limit); and the exclusions.
    static func badReviewSteps(_ t: EvaluationsRow) -> String {
        let rows = t.stages.map { s in
            ["\(stepTitles[s.step] ?? s.step) \(s.step)", "\(s.onTime)", "\(s.late)", s.step == "appeal" ? "—" : "\(s.open) (\(s.openOverdue))"]
        }
        var table = TextTable(header: ["差评 step", "on time", "late", "waiting (overdue)"], rows: rows)
        table.rightAligned = [1, 2, 3]
        return table.rendered + "\n剔除 excluded on appeal: \(t.excluded) (not in the reviews, levels or rates above)"
    }

    static func evaluationsCSV(_ r: EvaluationsReport) -> [[String]] {
        let header = ["period", "dimension", "key", "label", "reviews", "level1", "level2", "level3", "level4", "level5",
                      "goodReviews", "goodReviewRate", "score", "badReviews", "rectifiedInTime", "rectifiedLate", "unrectified",
                      "unrectifiedOverdue", "rectificationRate", "callBacks", "callBacksInTime", "callBackRate", "completed",
                      "evaluatedCompleted", "evaluationRate", "excluded"]
            + ["callBack", "appeal", "appealDecision", "rectification", "feedback"].flatMap {
                ["\($0)OnTime", "\($0)Late", "\($0)Open", "\($0)OpenOverdue"]
            }
        return [header] + withTotal(r.rows, r.total, r.dimension).map { dimension, row in
            [r.period, dimension, row.key, row.label,
             "\(row.reviews)"] + row.levels.map { "\($0)" }
                + ["\(row.goodReviews)", number(row.goodReviewRate), number(row.score), "\(row.badReviews)",
                   "\(row.rectifiedInTime)", "\(row.rectifiedLate)", "\(row.unrectified)", "\(row.unrectifiedOverdue)",
                   number(row.rectificationRate), "\(row.callBacks)", "\(row.callBacksInTime)", number(row.callBackRate),
                   "\(row.completed)", "\(row.evaluatedCompleted)", number(row.evaluationRate), "\(row.excluded)"]
                + row.stages.flatMap { ["\($0.onTime)", "\($0.late)", "\($0.open)", "\($0.openOverdue)"] }
        }
    }

    // MARK: Gold windows

    static let componentTitles = ["onTimeRate": "on time", "goodReviewRate": "好评", "volume": "volume",
                                  "rectificationRate": "整改", "atMostOneVisitShare": "≤1 visit",
                                  "waivedOrOnlineShare": "减材料/网办", "immediateShare": "即办"]

    static func goldWindows(_ r: GoldWindowReport) -> String {
        var blocks = ["金牌窗口 gold windows — period \(r.period), views at seq \(r.checkpoint), as of \(r.asOf ?? "—"); "
            + "cells: points (value), points = scaled weight × value; — (no data): left out, the other weights scaled up"]
        for q in r.quarters {
            let gold = q.windows.filter(\.gold).map { "\($0.window) \($0.name ?? "")".trimmingTrailingSpaces() }
            let columns = GoldWindowReport.components.map { name in
                "\(componentTitles[name] ?? name) ×\(String(format: "%g", r.weights[name] ?? 0))"
            }
            let rows = q.windows.map { e in
                ["\(e.rank.map(String.init) ?? "—")\(e.gold ? " ★" : "")", e.window, e.name ?? "", String(format: "%.2f", e.score)]
                    + e.breakdown.map { $0.counted ? String(format: "%.2f (%@)", $0.points, percent($0.value)) : "— (no data)" } + ["\(e.completed)"]
            }
            var table = TextTable(header: ["rank", "window", "name", "score"] + columns + ["completed"], rows: rows)
            table.rightAligned = Set([0, 3] + (4 ..< 4 + columns.count + 1))
            var block = "\(q.quarter) — \(q.windows.count) windows ranked, busiest \(q.busiestCompleted) completed; "
                + "金牌窗口: \(gold.isEmpty ? "—" : gold.joined(separator: ", "))\n" + table.rendered
            for e in q.disqualified {
                block += "\ndisqualified: \(e.window) \(e.name ?? "") (score \(String(format: "%.2f", e.score))): \(e.disqualification ?? "")"
            }
            blocks.append(block)
        }
        if r.quarters.isEmpty { blocks.append("no window completed a case in this period") }
        blocks.append(formulas(r.formula))
        return blocks.joined(separator: "\n\n")
    }

    static func goldWindowsCSV(_ r: GoldWindowReport) -> [[String]] {
        let header = ["quarter", "rank", "gold", "window", "name", "score", "completed", "disqualification"]
            + GoldWindowReport.components.flatMap { ["\($0)Value", "\($0)Weight", "\($0)ScaledWeight", "\($0)Points"] }
        var rows = [header]
        for q in r.quarters {
            for e in q.windows + q.disqualified {
                rows.append([q.quarter, e.rank.map(String.init) ?? "", e.gold ? "true" : "false", e.window, e.name ?? "",
                             number(e.score), "\(e.completed)", e.disqualification ?? ""]
                    + e.breakdown.flatMap { [$0.counted ? number($0.value) : "", number($0.weight), number($0.scaledWeight), number($0.points)] })
            }
        }
        return rows
    }

    // MARK: Pieces

    /// The rows with their dimension's name, then the total.
    private static func withTotal<Row>(_ rows: [Row], _ total: Row, _ dimension: ReportDimension) -> [(String, Row)] {
        rows.map { (dimension.rawValue, $0) } + [("total", total)]
    }

    /// A table with the dimension's key (and name) columns, `columns`, and the total last.
    private static func rowTable(_ dimension: ReportDimension, columns: [String], rows: [(key: String, label: String, cells: [String])],
                                 total: [String]) -> String {
        let named = dimension == .window || dimension == .item || dimension == .theme
        let keyTitle = dimension.rawValue
        let header = (dimension == .level ? ["level"] : named ? [keyTitle, "name"] : [keyTitle]) + columns
        var body = rows.map { row -> [String] in
            let lead = dimension == .level ? [row.label] : named ? [row.key.isEmpty ? "—" : row.key, row.label == row.key ? "" : row.label]
                : [row.label]
            return lead + row.cells
        }
        body.append((named ? ["合计", ""] : ["合计"]) + total)
        var table = TextTable(header: header, rows: body)
        let first = named ? 2 : 1
        table.rightAligned = Set(first ..< first + columns.count)
        return table.rendered
    }

    private static func formulas(_ text: String) -> String {
        "formulas:\n" + text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}

/// 92.4% (one decimal), or — when undefined.
func percent(_ value: Double?) -> String {
    value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
}

func decimal(_ value: Double?, digits: Int = 1) -> String {
    value.map { String(format: "%.\(digits)f", $0) } ?? "—"
}

/// A ratio, mean or score in CSV: rounded to 4 decimal places (JSON keeps full precision),
/// empty when undefined.
func number(_ value: Double?) -> String {
    value.map { String(format: "%.4f", $0) } ?? ""
}

/// The one CSV writer of the CLI. RFC 4180: fields with a comma, quote or line break are quoted,
/// quotes doubled; CRLF line ends. UTF-8 with a byte-order mark by default, because Excel on
/// Chinese Windows reads a CSV without one in the local code page (GBK) and garbles the Chinese.
enum CSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The rows as bytes, after the byte-order mark unless `byteOrderMark` is false (`--no-bom`).
    static func bytes(_ rows: [[String]], byteOrderMark: Bool) -> [UInt8] {
        (byteOrderMark ? CSV.byteOrderMark : []) + Array(render(rows).utf8)
    }

    static func render(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Window names from seeds/windows.json, shown beside the ids (the views keep ids only).
struct WindowNames {
    let names: [String: String]

    /// The names, or none when the file cannot be read (the reports then show ids alone).
    static func load(_ options: StoreOptions) -> WindowNames {
        let windows = try? ServiceWindow.load(from: try options.seedsDirectory.appendingPathComponent("windows.json"))
        return WindowNames(names: Dictionary((windows ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }

    func relabel<Row: LabeledReportRow>(_ row: Row, _ dimension: ReportDimension) -> Row {
        guard dimension == .window, let name = names[row.key] else { return row }
        var row = row
        row.label = name
        return row
    }

    func named(_ quarter: GoldWindowQuarter) -> GoldWindowQuarter {
        var quarter = quarter
        for i in quarter.windows.indices { quarter.windows[i].name = names[quarter.windows[i].window] }
        for i in quarter.disqualified.indices { quarter.disqualified[i].name = names[quarter.disqualified[i].window] }
        return quarter
    }
}

protocol LabeledReportRow {
    var key: String { get }
    var label: String { get set }
}

extension ProcessingTimeRow: LabeledReportRow {}
extension ConvenienceRow: LabeledReportRow {}
extension EvaluationsRow: LabeledReportRow {}
