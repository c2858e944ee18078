import Foundation
import Testing

/// The read models and the analysts' reports, on the shared demo store.
@Suite("ledger project status, report")
struct ReadModelCommandTests {
    let demo: DemoFixture

    init() throws { demo = try DemoFixture.shared.get() }

    @Test("project status lists the four projections, caught up with the log")
    func projectStatus() throws {
        _ = try ledgerSucceeds(["report", "evaluations", "--store", demo.store]) // catches the views up
        let run = try ledgerSucceeds(["project", "status", "--store", demo.store])
        let rows = run.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(5) == ["projection", "version", "generation", "checkpoint", "lag"], "\(run)")
        let projections = rows.dropFirst().filter { $0.count >= 5 && Int($0[3]) != nil }
        #expect(projections.count == 4, "\(run)")
        let events = "\(demo.exportLines.count)"
        #expect(projections.allSatisfy { $0[3] == events && $0[4] == "0" }, "\(run)")
    }

    static let reports = ["processing-time", "convenience", "evaluations", "gold-windows"]

    @Test("each report prints JSON that parses, CSV with a header, and a table", arguments: reports)
    func report(_ name: String) throws {
        let json = try ledgerSucceeds(["report", name, "--format", "json", "--store", demo.store])
        let object = try #require(try parseJSON(json.stdout) as? [String: Any], "\(json)")
        #expect(!object.isEmpty)

        let csv = try ledgerSucceeds(["report", name, "--format", "csv", "--store", demo.store])
        // UTF-8 with a byte-order mark (U+FEFF), as Excel wants it.
        #expect(csv.stdout.hasPrefix("\u{FEFF}"), "\(csv)")
        let rows = try csvRows(String(csv.stdout.drop { $0 == "\u{FEFF}" }))
        let header = try #require(rows.first, "\(csv)")
        #expect(header.count > 1 && header.allSatisfy { !$0.isEmpty && $0.first!.isLetter }, "\(csv)")
        #expect(rows.count > 1, "\(csv)")
        #expect(rows.allSatisfy { $0.count == header.count }, "\(csv)")

        let table = try ledgerSucceeds(["report", name, "--store", demo.store])
        #expect(table.lines.count > 2, "\(table)")
    }

    @Test("reports take a period and a dimension", arguments: ["quarter", "level", "department", "window", "item", "theme"])
    func reportDimensions(_ dimension: String) throws {
        let csv = try ledgerSucceeds(["report", "processing-time", "--by", dimension, "--year", "2023", "--quarter", "2",
                                      "--format", "csv", "--no-bom", "--store", demo.store])
        let rows = try csvRows(csv.stdout)
        #expect(rows.count > 1 && rows.allSatisfy { $0.count == rows[0].count }, "\(csv)")
    }

    @Test("reports refuse a bad quarter, year, format or dimension")
    func reportFailures() throws {
        expectUsageError(try ledger(["report", "convenience", "--quarter", "5", "--store", demo.store]), containing: "--quarter must be")
        expectUsageError(try ledger(["report", "evaluations", "--year", "0", "--store", demo.store]), containing: "--year must be")
        expectUsageError(try ledger(["report", "gold-windows", "--format", "xml", "--store", demo.store]), containing: "xml")
        expectUsageError(try ledger(["report", "processing-time", "--by", "colour", "--store", demo.store]), containing: "colour")
    }
}
