import Foundation
import Testing

/// The demo's summary against the reports it names, the rows a user asks for (themes, items),
/// CSV as Excel reads it, and the hall commands' plain words (Docs/FIGURES.md).
@Suite("demo figures = reports; CSV, stale stores, argument errors")
struct FiguresCommandTests {
    let demo: DemoFixture

    init() throws { demo = try DemoFixture.shared.get() }

    /// The summary's figures, by label: the value column of each `  label  value   ← source` line.
    func summaryFigures() throws -> [String: String] {
        var figures: [String: String] = [:]
        for line in demo.demo.lines where line.contains("   ← ") {
            let head = line.components(separatedBy: "   ← ")[0]
            let words = head.split(separator: " ", omittingEmptySubsequences: true)
            guard let value = words.last else { continue }
            figures[words.dropLast().joined(separator: " ")] = String(value)
        }
        return figures
    }

    func reportJSON(_ arguments: [String]) throws -> [String: Any] {
        let run = try ledgerSucceeds(["report"] + arguments + ["--format", "json", "--store", demo.store])
        return try #require(try parseJSON(run.stdout) as? [String: Any], "\(run)")
    }

    func percentText(_ value: Any?) -> String {
        guard let ratio = value as? Double else { return "—" }
        return String(format: "%.1f%%", ratio * 100)
    }

    @Test("the demo's summary names its year, and each figure is the one its report gives for that year")
    func summaryEqualsReports() throws {
        #expect(demo.demo.stdout.contains("2023 — what was decided and reviewed in 2023"), "\(demo.demo)")
        let figures = try summaryFigures()
        let time = try reportJSON(["processing-time", "--year", "2023"])
        let total = try #require(time["total"] as? [String: Any])
        let expected: [(String, String)] = [
            ("办结 completed", "\(total["completed"] as? Int ?? -1)"),
            ("撤回 withdrawn after 受理", "\(total["withdrawn"] as? Int ?? -1)"),
            ("按时办结率 on-time rate", percentText(total["onTimeRate"])),
            ("即办件 immediate", "\(total["immediate"] as? Int ?? -1)"),
            ("实际压缩 actual compression", percentText(total["actualCompression"])),
            ("承诺时限压缩 catalog compression", percentText(time["catalogCompression"])),
            ("准予 approved", "\(total["approved"] as? Int ?? -1)"),
            ("证照 certificates", "\(total["certificates"] as? Int ?? -1)"),
            ("电子证照 electronic certificates", "\(total["electronicCertificates"] as? Int ?? -1)"),
            ("电子证照入库 entered into the library", "\(total["certificatesInLibrary"] as? Int ?? -1)"),
        ]
        let convenience = try #require(try reportJSON(["convenience", "--year", "2023"])["total"] as? [String: Any])
        let themes = try #require(try reportJSON(["convenience", "--year", "2023", "--by", "theme"])["rows"] as? [[String: Any]])
        let evaluations = try reportJSON(["evaluations", "--year", "2023"])
        let reviews = try #require(evaluations["total"] as? [String: Any])
        let more: [(String, String)] = [
            ("最多跑一次 ≤ 1 visit", percentText(convenience["atMostOneVisitShare"])),
            ("零跑动 0 visits", percentText(convenience["zeroVisitShare"])),
            ("全程网办 fully online", percentText(convenience["fullyOnlineShare"])),
            ("减材料 materials reduced", "\(convenience["materialsWaived"] as? Int ?? -1)"),
            ("跨域通办 cross-region", "\(convenience["crossRegion"] as? Int ?? -1)"),
            ("帮办代办 assisted", "\(convenience["assisted"] as? Int ?? -1)"),
            ("一件事一次办 theme cases", "\(themes.reduce(0) { $0 + ($1["completed"] as? Int ?? 0) })"),
            ("好差评 reviews", "\(reviews["reviews"] as? Int ?? -1)"),
            ("好评率 good-review rate", percentText(evaluations["goodReviewRate"])),
            ("差评 bad reviews", "\(reviews["badReviews"] as? Int ?? -1)"),
            ("差评整改率 rectification rate", percentText(evaluations["rectificationRate"])),
        ]
        for (label, value) in expected + more {
            #expect(figures[label] == value, "\(label): summary \(figures[label] ?? "missing"), report \(value)")
        }

        // The report's item figures, each from the item's own row.
        let items: [(String, String, String, String)] = [
            ("行业综合许可证 industry licences", "LZH-Q-0009", "processing-time", "certificates"),
            ("社保卡密码异地重置 password resets", "LZH-Q-0123", "convenience", "crossRegion"),
            ("武汉通 cards cross-region", "LZH-Q-0423", "convenience", "crossRegion"),
        ]
        for (label, code, report, field) in items {
            let rows = try #require(try reportJSON([report, "--year", "2023", "--by", "item", "--item", code])["rows"] as? [[String: Any]])
            let value = rows.first?[field] as? Int ?? 0
            #expect(rows.count <= 1 && rows.allSatisfy { $0["key"] as? String == code })
            #expect(figures[label] == "\(value)", "\(label): summary \(figures[label] ?? "missing"), report \(value)")
        }
    }

    @Test("--by theme gives one row per 一件事 theme named, with the theme's name")
    func themeRows() throws {
        for report in ["processing-time", "convenience"] {
            let rows = try #require(try reportJSON([report, "--by", "theme"])["rows"] as? [[String: Any]])
            #expect(!rows.isEmpty)
            // Keys are theme ids (T01…T60), labels their names from seeds/themes.json.
            #expect(rows.allSatisfy { row in
                guard let key = row["key"] as? String, let label = row["label"] as? String else { return false }
                return key.hasPrefix("T") && key.count == 3 && label != key && !label.isEmpty
            }, "\(rows.prefix(3))")
        }
        let table = try ledgerSucceeds(["report", "convenience", "--by", "theme", "--store", demo.store])
        #expect(table.stdout.contains("一件事") || table.stdout.contains("我要"), "\(table)")
    }

    @Test("--item keeps only that item's row; an unknown item or --item without --by item is refused")
    func itemRows() throws {
        let rows = try #require(try reportJSON(["processing-time", "--by", "item", "--item", "LZH-Q-0423", "--item", "LZH-Q-0123"])["rows"]
            as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["key"] as? String }).isSubset(of: ["LZH-Q-0423", "LZH-Q-0123"]))
        #expect(!rows.isEmpty)
        expectOneLineError(try ledger(["report", "convenience", "--by", "item", "--item", "NO-SUCH", "--store", demo.store]),
                           containing: "--item NO-SUCH")
        expectUsageError(try ledger(["report", "convenience", "--item", "LZH-Q-0009", "--store", demo.store]), containing: "--by item")
    }

    @Test("CSV starts with a UTF-8 byte-order mark unless --no-bom; ratios have 4 decimal places, JSON full precision")
    func csvForExcel() throws {
        let csv = try ledgerSucceeds(["report", "processing-time", "--format", "csv", "--store", demo.store])
        #expect(Array(csv.stdout.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let plain = try ledgerSucceeds(["report", "processing-time", "--format", "csv", "--no-bom", "--store", demo.store])
        #expect(plain.stdout.hasPrefix("period,"), "\(plain)")
        #expect(csv.stdout.utf8.dropFirst(3).elementsEqual(plain.stdout.utf8))

        let rows = try csvRows(plain.stdout)
        let header = try #require(rows.first)
        let column = try #require(header.firstIndex(of: "onTimeRate"))
        let total = try #require(rows.last)
        #expect(total[column].split(separator: ".").last?.count == 4, "\(total[column])")
        let json = try #require(try reportJSON(["processing-time"])["total"] as? [String: Any])
        let exact = try #require(json["onTimeRate"] as? Double)
        #expect(total[column] == String(format: "%.4f", exact))

        let gold = try ledgerSucceeds(["report", "gold-windows", "--format", "csv", "--no-bom", "--store", demo.store])
        let goldRows = try csvRows(gold.stdout)
        let score = try #require(goldRows.first?.firstIndex(of: "score"))
        #expect(goldRows.dropFirst().allSatisfy { $0[score].split(separator: ".").last?.count == 4 }, "\(gold)")

        expectUsageError(try ledger(["report", "evaluations", "--no-bom", "--store", demo.store]), containing: "--no-bom")
    }

    @Test("--quarter without --year is refused, naming what to add")
    func quarterNeedsYear() throws {
        expectUsageError(try ledger(["report", "processing-time", "--quarter", "3", "--store", demo.store]), containing: "--year")
        expectUsageError(try ledger(["report", "gold-windows", "--quarter", "1", "--store", demo.store]), containing: "--year")
    }

    @Test("case, due and overdue on a store whose log ended long ago say so in one line, and go on")
    func staleStore() throws {
        let commands: [[String]] = [["case", demo.caseNumber], ["due", "--within", "2"], ["overdue"]]
        for command in commands {
            let stale = try ledger(command + ["--today", "2026-11-30", "--store", demo.store])
            #expect(stale.status == 0, "\(stale)")
            #expect(stale.errorLines.count == 1 && stale.stderr.contains("--as-of"), "\(stale)")
            #expect(!stale.stdout.isEmpty)
            let asOf = try ledger(command + ["--as-of", "2023-12-29", "--store", demo.store])
            #expect(asOf.status == 0 && asOf.stderr.isEmpty, "\(asOf)")
        }
    }

    @Test("due --within -1 says the number must be ≥ 0; overdue --help says what it lists; gold-windows takes no --by")
    func plainWords() throws {
        expectUsageError(try ledger(["due", "--within", "-1", "--store", demo.store]), containing: "≥ 0")
        let help = try ledger(["overdue", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("accepted case not yet decided") && help.stdout.contains("deadline"), "\(help)")
        expectUsageError(try ledger(["report", "gold-windows", "--by", "window", "--store", demo.store]), containing: "--by")
    }
}
