import ArgumentParser
import Foundation
import CaseStatistics

/// `--item CODE` of the reports with rows: only those items' rows, e.g. the report's 240
/// 行业综合许可证 or 494 武汉通 cards (`--by item --item LZH-Q-0423`).
struct ItemRows: ParsableArguments {
    @Option(name: .customLong("item"),
            help: ArgumentHelp("Only this item's row (with --by item); repeat for several.", valueName: "CODE"))
    var items: [String] = []

    func validate(by dimension: ReportDimension) throws {
        if !items.isEmpty, dimension != .item {
            throw ValidationError("--item picks item rows: add --by item")
        }
    }
}

/// `--by`: one of the dimensions, else one line naming them all.
func parseDimension(_ text: String) throws -> ReportDimension {
    guard let dimension = ReportDimension(rawValue: text) else {
        throw ValidationError("--by \(text): give one of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return dimension
}

/// 一件事一次办 theme names from seeds/themes.json, shown beside the ids (the views keep ids only).
struct ThemeNames {
    let names: [String: String]

    private struct Theme: Decodable {
        var id: String
        var name: String
    }

    /// The names, or none when the file cannot be read (the reports then show ids alone).
    static func load(_ options: StoreOptions) -> ThemeNames {
        guard let directory = try? options.seedsDirectory,
              let data = try? Data(contentsOf: directory.appendingPathComponent("themes.json")),
              let themes = try? JSONDecoder().decode([Theme].self, from: data)
        else { return ThemeNames(names: [:]) }
        return ThemeNames(names: Dictionary(themes.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }

    func relabel<Row: LabeledReportRow>(_ row: Row, _ dimension: ReportDimension) -> Row {
        guard dimension == .theme, let name = names[row.key] else { return row }
        var row = row
        row.label = name
        return row
    }
}
