import Foundation
import Testing
import TestSupport

/// `ledger bad-reviews` over a store of its own: the demo's catalog, and four cases shaped like
/// the demo's first accepted case, each with a bad review on Thu 2023-03-02 (limits of
/// seeds/rules.json; March 2023 has no holiday):
///
/// | case | steps | stage on 3/10 |
/// |---|---|---|
/// | …901 | L4, nothing more | 待核实, due 3/3: 5 working days past it |
/// | …902 | L5, called back 3/2, rectified 3/6, feedback 3/7 | 已办结 |
/// | …903 | L4, called back 3/2, appealed 3/3, excluded 3/6 | 已剔除 (申诉复核中 on 3/5) |
/// | …904 | L4, called back 3/2 | 待整改, due 3/23: 9 working days left |
@Suite("ledger bad-reviews")
struct BadReviewsCommandTests {
    let demo: DemoFixture
    let folder = TemporaryDirectory("ledger-cli-bad-reviews")

    init() throws { demo = try DemoFixture.shared.get() }

    static let numbers = ["LZH-2023-900901", "LZH-2023-900902", "LZH-2023-900903", "LZH-2023-900904"]

    private func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The store, and the window the cases were accepted at.
    private func store() throws -> (store: String, window: String) {
        let store = folder.appending("store")
        let exported = try demo.exportLines.map(parseObject)
        let catalog = demo.exportLines.filter { (try? parseObject($0)["case"] as? String) == "CATALOG" }
        let accepted = try #require(exported.first { $0["type"] as? String == "accepted" })
        let template = try #require(accepted["case"] as? String)
        let submitted = try #require(exported.first { $0["type"] as? String == "submitted" && $0["case"] as? String == template })
        let acceptedData = try #require(accepted["data"] as? [String: Any])
        let window = try #require(acceptedData["window"] as? String)
        func event(_ number: String, _ type: String, _ at: String, actor: String = "hall-manager", _ data: [String: Any] = [:]) throws -> String {
            try line(["case": number, "type": type, "at": "2023-03-\(at)+08:00", "actor": actor, "data": data])
        }
        var lines = catalog
        for number in Self.numbers {
            lines += [
                try event(number, "submitted", "01T09:00:00", actor: submitted["actor"] as? String ?? "applicant",
                          submitted["data"] as? [String: Any] ?? [:]),
                try event(number, "accepted", "01T10:00:00", actor: accepted["actor"] as? String ?? "clerk",
                          ["item": acceptedData["item"] ?? "", "window": window]),
                try event(number, "approved", "02T09:00:00", actor: accepted["actor"] as? String ?? "clerk"),
                try event(number, "evaluated", "02T10:00:00", actor: "applicant",
                          ["level": number.hasSuffix("2") ? 5 : 4, "channel": "mobile", "comment": "等候时间过长"]),
            ]
        }
        let steps: [(Int, String, String, [String: Any])] = [
            (1, "followedUp", "02T15:00:00", [:]), (1, "rectified", "06T10:00:00", ["note": "已优化排队叫号"]),
            (1, "feedbackGiven", "07T10:00:00", ["note": "已电话告知评价人"]),
            (2, "followedUp", "02T15:00:00", [:]), (2, "appealed", "03T10:00:00", ["ground": "malicious", "reason": "与服务无关"]),
            (2, "appealDecided", "06T10:00:00", ["excluded": true, "reason": "经复核属恶意差评"]),
            (3, "followedUp", "02T15:00:00", [:]),
        ]
        for (i, type, at, data) in steps { lines.append(try event(Self.numbers[i], type, at, data)) }
        let path = folder.appending("events.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        _ = try ledgerSucceeds(["import", path, "--store", store])
        return (store, window)
    }

    private func listing(_ arguments: [String], store: String) throws -> [String: Any] {
        try parseObject(try ledgerSucceeds(["bad-reviews"] + arguments + ["--format", "json", "--store", store]).stdout)
    }

    private func reviews(_ object: [String: Any]) -> [[String: Any]] { object["reviews"] as? [[String: Any]] ?? [] }

    @Test("every bad review with its stage, deadline, working days left and holder, open ones first")
    func everyReview() throws {
        let (store, window) = try store()
        let all = try listing(["--as-of", "2023-03-10"], store: store)
        #expect(all["today"] as? String == "2023-03-10")
        #expect(all["count"] as? Int == 4)
        let rows = reviews(all)
        #expect(rows.map { $0["case"] as? String } == ["LZH-2023-900901", "LZH-2023-900904", "LZH-2023-900903", "LZH-2023-900902"])
        #expect(rows.map { $0["stage"] as? String } == ["awaitingCallBack", "awaitingRectification", "excluded", "closed"])
        #expect(rows.map { $0["workingDaysLeft"] as? Int } == [-5, 9, nil, nil])
        #expect(rows.map { $0["due"] as? String } == ["2023-03-03", "2023-03-23", nil, nil])
        #expect(rows.map { $0["holder"] as? String } == [window, window, "", ""])
        #expect(rows.map { $0["overdue"] as? Bool } == [true, false, false, false])
        #expect(rows[2]["excluded"] as? Bool == true)
        #expect(rows[2]["appealGround"] as? String == "malicious")
        let keys: Set<String> = ["case", "review", "level", "item", "window", "reviewedAt", "stage", "stageLabel", "excluded",
                                 "appealGround", "holder", "due", "workingDaysLeft", "overdue", "deadlines", "steps"]
        for row in rows { #expect(Set(row.keys) == keys) }
        let deadlines = try #require(rows[1]["deadlines"] as? [String: Any])
        #expect(deadlines["callBack"] as? String == "2023-03-03")
        #expect(deadlines["appeal"] as? String == "2023-03-07")
        #expect(deadlines["rectification"] as? String == "2023-03-23")
        let steps = try #require(rows[3]["steps"] as? [String: Any])
        #expect(steps["fedBackAt"] as? String == "2023-03-07T10:00:00+08:00")

        let table = try ledgerSucceeds(["bad-reviews", "--as-of", "2023-03-10", "--store", store])
        #expect(table.stdout.contains("待核实") && table.stdout.contains("已剔除"), "\(table)")
        #expect(table.lines.last?.contains("4 (2 open, 1 overdue, 1 excluded on appeal)") == true, "\(table)")
    }

    @Test("--open, --due-within (overdue included), --window, and a moment while the appeal was pending")
    func filters() throws {
        let (store, window) = try store()
        #expect(reviews(try listing(["--open", "--as-of", "2023-03-10"], store: store)).count == 2)
        #expect(reviews(try listing(["--due-within", "0", "--as-of", "2023-03-10"], store: store)).map { $0["case"] as? String }
            == ["LZH-2023-900901"])
        #expect(reviews(try listing(["--due-within", "10", "--as-of", "2023-03-10"], store: store)).count == 2)
        #expect(reviews(try listing(["--window", window, "--as-of", "2023-03-10"], store: store)).count == 4)
        let other = window == "W01" ? "W02" : "W01"
        #expect(try listing(["--window", other, "--as-of", "2023-03-10"], store: store)["count"] as? Int == 0)
        let empty = try ledgerSucceeds(["bad-reviews", "--window", other, "--as-of", "2023-03-10", "--store", store])
        #expect(empty.stdout.hasPrefix("no bad reviews"), "\(empty)")

        let pending = reviews(try listing(["--open", "--as-of", "2023-03-05"], store: store))
        let appeal = try #require(pending.first { $0["case"] as? String == "LZH-2023-900903" })
        #expect(appeal["stage"] as? String == "underAppeal")
        #expect(appeal["holder"] as? String == "申诉复核")
        #expect(appeal["due"] as? String == "2023-03-10")
        #expect(appeal["workingDaysLeft"] as? Int == 5)
        #expect(pending.count == 4, "on 3/5 none was closed yet")
    }

    @Test("CSV has a header and one row per review")
    func csv() throws {
        let (store, _) = try store()
        var text = try ledgerSucceeds(["bad-reviews", "--as-of", "2023-03-10", "--format", "csv", "--store", store]).stdout
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = try csvRows(text)
        #expect(rows.first == ["case", "review", "level", "item", "window", "reviewedAt", "stage", "stageLabel", "excluded",
                               "appealGround", "holder", "due", "workingDaysLeft", "overdue", "callBackDue", "appealDue",
                               "appealDecisionDue", "rectificationDue", "feedbackDue", "calledBackAt", "appealedAt",
                               "appealDecidedAt", "rectifiedAt", "fedBackAt"])
        #expect(rows.count == 5)
        #expect(rows[1].prefix(3) == ["LZH-2023-900901", "0", "4"])
    }

    @Test("ledger badreviews is the same command, by its name without the hyphen")
    func runByItsOtherName() throws {
        let (store, _) = try store()
        let hyphened = try ledgerSucceeds(["bad-reviews", "--as-of", "2023-03-10", "--format", "json", "--store", store])
        let joined = try ledgerSucceeds(["badreviews", "--as-of", "2023-03-10", "--format", "json", "--store", store])
        #expect(joined.stdout == hyphened.stdout)
        #expect(joined.stderr.isEmpty, "\(joined)")
    }

    @Test("--today before the last event, or long after it, says so on stderr; the listing is still printed")
    func notesOnTheLatestEvent() throws {
        let (store, _) = try store()
        let before = try ledger(["bad-reviews", "--today", "2023-03-01", "--store", store])
        #expect(before.status == 0, "\(before)")
        #expect(before.stderr.contains("the reviews are as the log stands now"), "\(before)")
        #expect(before.stderr.contains("pass --as-of 2023-03-01"), "\(before)")
        #expect(!before.stdout.isEmpty)
        let long = try ledger(["bad-reviews", "--today", "2023-12-01", "--store", store])
        #expect(long.status == 0, "\(long)")
        #expect(long.stderr.contains("days before 2023-12-01"), "\(long)")
        #expect(!long.stderr.contains("as the log stands now"), "\(long)")
        _ = try ledgerSucceeds(["bad-reviews", "--today", "2023-03-10", "--store", store]) // no note: stderr empty
    }

    @Test("bad arguments: one line on stderr, exit 1, nothing on stdout")
    func badArguments() throws {
        let (store, _) = try store()
        expectOneLineError(try ledger(["bad-reviews", "--due-within", "-1", "--store", store]), containing: "--due-within -1")
        expectOneLineError(try ledger(["bad-reviews", "--due-within", "9999", "--store", store]), containing: "0 to 250")
        expectOneLineError(try ledger(["bad-reviews", "--window", "W99", "--store", store]), containing: "no window W99")
        expectOneLineError(try ledger(["bad-reviews", "--today", "2023-03-10", "--as-of", "2023-03-10", "--store", store]),
                           containing: "not both")
    }
}
