import Foundation
import Testing
import TestSupport

/// The hall's rules through the CLI: `import` refuses what the hall refuses, `import --catalog`
/// dates the items by the file's effective date (or --at), `grant` records and lists 首席服务员
/// grants, and `report grants` counts the cases accepted under them.
@Suite("ledger import, grant and report grants: the hall's rules")
struct HallCommandTests {
    let demo: DemoFixture
    let folder = TemporaryDirectory("ledger-cli-hall")
    static let seedCatalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds/catalog.jsonl").path

    init() throws { demo = try DemoFixture.shared.get() }

    private func file(_ name: String, _ lines: [String]) throws -> String {
        let path = folder.appending(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A fresh store with the seed catalog in force from its effective date.
    private func storeWithSeedCatalog(_ name: String) throws -> String {
        let store = folder.appending(name)
        try ledgerSucceeds(["import", "--catalog", Self.seedCatalog, "--store", store])
        return store
    }

    /// The records of a CSV output (RFC 4180: CRLF line ends).
    private func csvRecords(_ run: LedgerRun) -> [String] {
        String(run.stdout.drop { $0 == "\u{FEFF}" }).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    private func line(_ number: String, _ type: String, _ time: String, actor: String = "clerk-06", _ data: String) -> String {
        #"{"case":"\#(number)","type":"\#(type)","at":"\#(time)","actor":"\#(actor)","data":\#(data)}"#
    }

    /// 企业设立登记 (LZH-Q-0001, 市场监管) and 非居民用水报装 (LZH-Q-0499, 水务).
    private func submitted(_ number: String, item: String = "LZH-Q-0001", ref: String = "P-0001") -> String {
        line(number, "submitted", "2023-03-01T09:00:00+08:00", #"{"item":"\#(item)","channel":"window","applicant":{"kind":"person","ref":"\#(ref)"}}"#)
    }

    private func accepted(_ number: String, item: String = "LZH-Q-0001", window: String = "W02", actor: String = "clerk-06") -> String {
        line(number, "accepted", "2023-03-01T09:30:00+08:00", actor: actor, #"{"item":"\#(item)","window":"\#(window)"}"#)
    }

    @Test("import --catalog dates the items by the file's effective date, or by --at")
    func catalogEffectiveDate() throws {
        let run = try ledgerSucceeds(["import", "--catalog", Self.seedCatalog, "--store", folder.appending("dated")])
        #expect(run.stdout.contains("items in force from 2023-01-01T00:00:00+08:00"), "\(run)")
        let at = try ledgerSucceeds(["import", "--catalog", Self.seedCatalog, "--at", "2023-06-01", "--store", folder.appending("at")])
        #expect(at.stdout.contains("items in force from 2023-06-01T00:00:00+08:00"), "\(at)")
        let history = try ledgerSucceeds(["export", "--store", folder.appending("at")])
        #expect(history.lines.allSatisfy { $0.contains(#""at":"2023-06-01T00:00:00+08:00""#) })
        // A case before the items came into force is refused.
        let early = try ledger(["import", try file("early.jsonl", [submitted("LZH-2023-000900")]), "--store", folder.appending("at")])
        expectOneLineError(early, containing: "line 1: case LZH-2023-000900 is new: submitted refused: item LZH-Q-0001 is not in the catalog in force at 2023-03-01T09:00:00+08:00")

        // A catalog that does not say when: --at is needed.
        let undated = try file("undated.jsonl", try String(contentsOfFile: Self.seedCatalog, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init))
        expectOneLineError(try ledger(["import", "--catalog", undated, "--store", folder.appending("undated")]),
                           containing: "does not say when its items come into force: give --at YYYY-MM-DD")
        try ledgerSucceeds(["import", "--catalog", undated, "--at", "2023-01-01", "--store", folder.appending("undated")])
        expectUsageError(try ledger(["import", undated, "--at", "2023-01-01", "--store", folder.appending("undated")]),
                         containing: "--at dates a catalog")
    }

    @Test("import refuses a window the hall does not have, naming the line and the case; nothing is written")
    func unknownWindow() throws {
        let store = try storeWithSeedCatalog("window")
        let head = try digest(of: store)
        let run = try ledger(["import", try file("w99.jsonl", [submitted("LZH-2023-000901"), accepted("LZH-2023-000901", window: "W99")]),
                              "--store", store])
        expectOneLineError(run, containing: "line 2: case LZH-2023-000901 is submitted: accepted refused: window W99 is not one of the hall's windows")
        #expect(try digest(of: store) == head)
    }

    @Test("import refuses a resident ID or mobile number in an applicant reference or free text, without echoing it")
    func personalData() throws {
        let store = try storeWithSeedCatalog("personal")
        let head = try digest(of: store)
        let id = "42070419800101123X", mobile = "13912345678"
        let files: [(lines: [String], fragment: String)] = [
            ([submitted("LZH-2023-000902", ref: id)], "line 1: case LZH-2023-000902 is new: submitted refused: data.applicant.ref holds a resident ID number"),
            ([submitted("LZH-2023-000903"), line("LZH-2023-000903", "rejected", "2023-03-01T10:00:00+08:00", #"{"reason":"材料不全，联系 \#(mobile)"}"#)],
             "line 2: case LZH-2023-000903 is submitted: rejected refused: data.reason holds a mobile number"),
        ]
        for (index, bad) in files.enumerated() {
            let run = try ledger(["import", try file("pii\(index).jsonl", bad.lines), "--store", store])
            expectOneLineError(run, containing: bad.fragment)
            #expect(!run.stderr.contains(id) && !run.stderr.contains(mobile) && !run.stderr.contains("1980"), "\(run)")
            #expect(try digest(of: store) == head)
        }
    }

    @Test("grant add, list and revoke: the rule follows the grant, and the history shows who could do what when")
    func grantCommands() throws {
        let store = try storeWithSeedCatalog("grants")
        // Not granted: clerk-06 (W02, 市场监管) cannot accept 水务's 非居民用水报装.
        let water = [submitted("LZH-2023-000904", item: "LZH-Q-0499"), accepted("LZH-2023-000904", item: "LZH-Q-0499")]
        expectOneLineError(try ledger(["import", try file("water.jsonl", water), "--store", store]),
                           containing: "window W02 does not host 水务 (item LZH-Q-0499) and clerk-06 holds no grant of 水务")

        let add = try ledgerSucceeds(["grant", "add", "--clerk", "clerk-06", "--department", "水务", "--by", "hall-manager",
                                      "--at", "2023-03-01", "--store", store])
        #expect(add.stdout.hasPrefix("granted 水务 to clerk-06 at 2023-03-01T00:00:00+08:00 by hall-manager"), "\(add)")
        try ledgerSucceeds(["import", try file("water.jsonl", water), "--store", store])
        expectOneLineError(try ledger(["grant", "add", "--clerk", "clerk-06", "--department", "水务", "--by", "hall-manager",
                                       "--at", "2023-03-02", "--store", store]), containing: "clerk-06 holds 水务 since 2023-03-01T00:00:00+08:00")
        expectOneLineError(try ledger(["grant", "add", "--clerk", "clerk-06", "--department", "市场监管", "--by", "hall-manager",
                                       "--at", "2023-03-02", "--store", store]), containing: "already hosts 市场监管")

        try ledgerSucceeds(["grant", "revoke", "--clerk", "clerk-06", "--department", "水务", "--by", "director",
                            "--at", "2023-03-10", "--store", store])
        let list = try ledgerSucceeds(["grant", "list", "--format", "json", "--store", store])
        let grants = try #require((try parseJSON(list.stdout) as? [String: Any])?["grants"] as? [[String: Any]], "\(list)")
        #expect(grants.count == 1)
        #expect(grants.first?["clerk"] as? String == "clerk-06" && grants.first?["window"] as? String == "W02")
        #expect(grants.first?["grantedBy"] as? String == "hall-manager" && grants.first?["revokedBy"] as? String == "director")
        #expect(grants.first?["revokedAt"] as? String == "2023-03-10T00:00:00+08:00")
        let then = try ledgerSucceeds(["grant", "list", "--as-of", "2023-03-05", "--store", store])
        #expect(then.stdout.contains("clerk-06") && then.stdout.contains("水务"), "\(then)")
        let now = try ledgerSucceeds(["grant", "list", "--as-of", "2023-03-20", "--store", store])
        #expect(now.stdout.contains(": none"), "\(now)")

        let report = try ledgerSucceeds(["report", "grants", "--format", "csv", "--store", store])
        #expect(csvRecords(report) == ["clerk,window,department,accepted,grantedAt,grantedBy",
                                 "clerk-06,W02,水务,1,2023-03-01T00:00:00+08:00,hall-manager"], "\(report)")
    }

    @Test("the demo's chief clerks hold their grants from the year's start, and report grants counts their acceptances")
    func demoGrants() throws {
        let list = try ledgerSucceeds(["grant", "list", "--format", "csv", "--store", demo.store])
        let records = csvRecords(list)
        #expect(records.count == 21, "\(list)")  // a header and 5 chief clerks × 4 departments
        #expect(records.dropFirst().allSatisfy { $0.contains("2023-01-01T00:00:00+08:00,hall-manager,,") }, "\(list)")

        let json = try ledgerSucceeds(["report", "grants", "--year", "2023", "--format", "json", "--store", demo.store])
        let report = try #require(try parseJSON(json.stdout) as? [String: Any], "\(json)")
        let rows = try #require(report["rows"] as? [[String: Any]])
        let underGrant = try #require(report["underGrant"] as? Int)
        #expect(underGrant > 0 && underGrant == rows.reduce(0) { $0 + ($1["accepted"] as? Int ?? 0) }, "\(json)")
        #expect(report["period"] as? String == "2023")
        let chiefs: Set<String> = ["clerk-06", "clerk-11", "clerk-25", "clerk-47", "clerk-49"]
        #expect(rows.allSatisfy { chiefs.contains($0["clerk"] as? String ?? "") }, "\(json)")

        let table = try ledgerSucceeds(["report", "grants", "--store", demo.store])
        #expect(table.stdout.contains("首席服务员 acceptances under a grant") && table.stdout.contains("formula:"), "\(table)")
    }
}
