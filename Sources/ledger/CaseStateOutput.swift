import ArgumentParser
import CaseDomain
import CaseStateProjection
import Foundation
import Ledger

// Shared by the case-state commands (`case`, `queue`, `due`, `overdue`).

/// `--today` and `--format` of the case-state commands.
struct CaseStateOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The day to count working days to, YYYY-MM-DD (CST). Default: today in China Standard Time.",
                               valueName: "DATE"),
            transform: parseCivilDate)
    var today: CivilDate?

    @Option(help: ArgumentHelp("Output: a table, or JSON with stable keys.", valueName: "table|json"))
    var format: CaseStateFormat = .table

    /// `--today`, or the current CST date; either must be in the calendar's years.
    func day(_ calendar: WorkCalendar) throws -> CivilDate {
        let day = today ?? CivilDate(instantMilliseconds: Timestamp.now().milliseconds)
        do { _ = try calendar.isWorkingDay(day) } catch {
            let loaded = calendar.years.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "none"
            throw UserError(today == nil
                ? "today (\(day)) is outside the loaded calendars (\(loaded)); pass --today YYYY-MM-DD within them"
                : "--today \(day): \(error) (loaded: \(loaded))")
        }
        return day
    }
}

/// `--as-of` of the case-state commands: the cases as they stood at a past moment.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("As things stood then, replayed from the log: RFC 3339 (2023-06-14T12:00:00+08:00) or YYYY-MM-DD (the end of that day, CST). Days are counted to its date.",
                               valueName: "DATETIME"),
            transform: parseMoment)
    var asOf: Timestamp?

    func validate(with output: CaseStateOutputOptions) throws {
        if asOf != nil, output.today != nil {
            throw ValidationError("give --as-of or --today, not both (--as-of counts the days to its own date)")
        }
    }

    /// Every case as it stood at `moment`.
    func replay(_ moment: Timestamp, store: EventStore, calendar: WorkCalendar) throws -> CaseStateReplay {
        do { return try CaseStateReplay(store: store, asOf: moment, calendar: calendar) } catch let error as CalendarError {
            throw UserError("--as-of \(moment.chinaTime): \(error)")
        }
    }
}

/// `--as-of`: RFC 3339, or YYYY-MM-DD for the end of that day in CST.
func parseMoment(_ text: String) throws -> Timestamp {
    if let moment = Timestamp(rfc3339: text) { return moment }
    if let day = CivilDate(iso: text) {
        return Timestamp(milliseconds: (Int64(day.dayNumber) + 1) * 86_400_000 - Timestamp.chinaOffsetSeconds * 1000 - 1)
    }
    throw ValidationError("'\(text)' is neither RFC 3339 (2023-06-14T12:00:00+08:00) nor YYYY-MM-DD")
}

/// `--at` of a catalog: RFC 3339, or YYYY-MM-DD for the start of that day in CST.
func parseStartMoment(_ text: String) throws -> Timestamp {
    if let moment = Timestamp(rfc3339: text) { return moment }
    if let day = CivilDate(iso: text) { return Timestamp(startOf: day) }
    throw ValidationError("'\(text)' is neither RFC 3339 (2023-01-01T00:00:00+08:00) nor YYYY-MM-DD")
}

enum CaseStateFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

func parseCivilDate(_ text: String) throws -> CivilDate {
    guard let date = CivilDate(iso: text) else { throw ValidationError("'\(text)' is not a date: give YYYY-MM-DD, e.g. 2023-06-30") }
    return date
}

/// Names for codes in tables: items from the store's catalog, windows from seeds/windows.json.
/// Missing names show as the code alone.
struct HallNames {
    var items: [String: String] = [:]
    var windows: [String: String] = [:]
    /// Window ids in hall order.
    var windowIDs: [String] = []

    init(store: EventStore, options: StoreOptions) {
        if let ledger = try? CaseLedger(store: store, calendar: WorkCalendar(years: [])) {
            for (code, item) in ledger.catalog.items { items[code] = item.name }
        }
        if let directory = try? options.seedsDirectory,
           let list = try? ServiceWindow.load(from: directory.appendingPathComponent("windows.json")) {
            for window in list { windows[window.id] = window.name }
            windowIDs = list.map(\.id)
        }
    }

    func item(_ code: String?, width: Int = 14) -> String {
        guard let code else { return "—" }
        guard let name = items[code] else { return code }
        return code + " " + truncated(name, width: width * 2)
    }

    func window(_ id: String?) -> String {
        guard let id else { return "—" }
        return windows[id].map { id + " " + $0 } ?? id
    }
}

/// `s` cut to `width` display columns, with an ellipsis when cut.
func truncated(_ s: String, width: Int) -> String {
    guard displayWidth(s) > width else { return s }
    var out = ""
    for c in s {
        if displayWidth(out + String(c)) > width - 1 { break }
        out.append(c)
    }
    return out + "…"
}

extension CaseStatus {
    /// The status as the hall says it.
    var label: String {
        switch self {
        case .submitted: "submitted 待受理"
        case .awaitingSupplement: "awaitingSupplement 待补正"
        case .processing: "processing 办理中"
        case .suspended: "suspended 挂起"
        case .rejected: "rejected 不予受理"
        case .approved: "approved 准予"
        case .denied: "denied 不予许可"
        case .withdrawn: "withdrawn 撤回"
        case .delivered: "delivered 已送达"
        }
    }
}

extension DeadlineWarning {
    var label: String {
        switch self {
        case .none: ""
        case .yellow: "yellow 黄牌"
        case .red: "red 红牌"
        }
    }
}

extension CaseStateReport {
    /// One row of a case list: case, item, status, accepted, deadline, effective, remaining, warning.
    func listRow(_ names: HallNames, window showWindow: Bool) -> [String] {
        var row = [caseNumber.rawValue]
        if showWindow { row.append(window ?? "—") }
        row += [names.item(item), status.rawValue, acceptedAt.map { CivilDate(instantMilliseconds: $0.milliseconds).description } ?? "—",
                deadline?.description ?? "—", effectiveWorkingDays.map(String.init) ?? "—",
                remainingWorkingDays.map(String.init) ?? "—", warning.label]
        return row
    }

    static func listHeader(window: Bool) -> [String] {
        ["case"] + (window ? ["window"] : []) + ["item", "status", "accepted", "deadline", "used", "left", "warning"]
    }
}

/// Prints a case list as a table with a closing count line, or as a JSON array.
func printCaseList(_ reports: [CaseStateReport], format: CaseStateFormat, names: HallNames, showWindow: Bool,
                   asOf: Timestamp?, empty: String, summary: String) {
    switch format {
    case .json:
        var w = JSONWriter()
        w.beginArray()
        for report in reports { report.writeJSON(into: &w, asOf: asOf) }
        w.endArray()
        writeStdout(w.bytes + [10])
    case .table:
        guard !reports.isEmpty else { print(empty); return }
        let columns = CaseStateReport.listHeader(window: showWindow)
        let right = Set(["used", "left"].compactMap { columns.firstIndex(of: $0) })
        print(TextTable(header: columns, rows: reports.map { $0.listRow(names, window: showWindow) }, rightAligned: right).rendered)
        let red = reports.count { $0.warning == .red }, yellow = reports.count { $0.warning == .yellow }
        let suspended = reports.count(where: \.suspended)
        print("\n\(summary): \(reports.count) case\(reports.count == 1 ? "" : "s")"
            + (suspended > 0 ? " (\(suspended) suspended)" : "") + ", \(red) red, \(yellow) yellow"
            + "  (used/left: working days counted so far / left to the deadline; negative: past it)")
    }
}
