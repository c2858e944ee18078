import Foundation
import Testing
import TestSupport

/// `ledger import` and `ledger export` on stores of their own: all or nothing, idempotent, and the
/// history of what was imported printed as valid JSON whatever its text holds.
@Suite("ledger import")
struct ImportCommandTests {
    let demo: DemoFixture
    let folder = TemporaryDirectory("ledger-cli-import")

    init() throws { demo = try DemoFixture.shared.get() }

    /// Writes `lines` as a JSON Lines file in the test's folder.
    private func file(_ name: String, _ lines: [String]) throws -> String {
        let path = folder.appending(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A store holding the demo's catalog events (dated 2023-01-01, before the crafted cases).
    private func storeWithCatalog() throws -> String {
        let store = folder.appending("store")
        let catalog = demo.exportLines.filter { (try? parseObject($0)["case"] as? String) == "CATALOG" }
        #expect(!catalog.isEmpty)
        let run = try ledgerSucceeds(["import", try file("catalog.jsonl", catalog), "--store", store])
        #expect(run.stdout.hasPrefix("imported \(catalog.count) events"), "\(run)")
        return store
    }

    /// One interchange line, written by Foundation's JSON writer.
    private func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A submission in the demo's shape (item, channel, applicant) for a new case.
    private func submitted(_ caseNumber: String, actor: String, ref: String) throws -> String {
        let template = try demo.exportLines.map(parseObject).first { $0["type"] as? String == "submitted" }
        var data = try #require(template?["data"] as? [String: Any])
        var applicant = try #require(data["applicant"] as? [String: Any])
        applicant["ref"] = ref
        data["applicant"] = applicant
        return try line(["case": caseNumber, "type": "submitted", "at": "2023-03-01T10:00:00+08:00", "actor": actor, "data": data])
    }

    @Test("the demo's export imports into an empty store hash for hash, and a second import records nothing")
    func roundTrip() throws {
        let store = folder.appending("copy")
        let exported = try file("all.jsonl", demo.exportLines)
        let first = try ledgerSucceeds(["import", exported, "--store", store])
        #expect(first.stdout.hasPrefix("imported \(demo.exportLines.count) events (0 already recorded)"), "\(first)")
        let head = try digest(of: demo.store)
        #expect(try digest(of: store) == head)

        let again = try ledgerSucceeds(["import", exported, "--store", store])
        #expect(again.stdout.hasPrefix("imported 0 events (\(demo.exportLines.count) already recorded)"), "\(again)")
        #expect(try digest(of: store) == head)
        _ = try ledgerSucceeds(["verify", "--store", store, "--digest", head])
    }

    @Test("import --catalog publishes the seeds' items once")
    func catalog() throws {
        let store = folder.appending("catalog")
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds/catalog.jsonl").path
        let first = try ledgerSucceeds(["import", "--catalog", seeds, "--store", store])
        let published = try #require(first.lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }, "\(first)")
        #expect(published > 0)
        #expect(first.stdout.hasPrefix("published \(published) of \(published) items"), "\(first)")
        let head = try digest(of: store)
        let again = try ledgerSucceeds(["import", "--catalog", seeds, "--store", store])
        #expect(again.stdout.hasPrefix("published 0 of \(published) items"), "\(again)")
        #expect(try digest(of: store) == head)
    }

    @Test("history --json stays valid JSON when an actor or a reason holds quotes and backslashes")
    func historyEscapes() throws {
        let store = try storeWithCatalog()
        let actor = #"clerk "Zhang" \ 窗口\n"#
        let reason = #"材料不全: "身份证" missing; path C:\scan\01 \"#
        let ref = #"ref "q" \u0041 \"#
        let rejected = try line(["case": "CLI-QUOTES-1", "type": "rejected", "at": "2023-03-01T11:00:00+08:00",
                                 "actor": actor, "data": ["reason": reason]])
        _ = try ledgerSucceeds(["import", try file("quotes.jsonl", [try submitted("CLI-QUOTES-1", actor: actor, ref: ref), rejected]),
                                "--store", store])

        let run = try ledgerSucceeds(["history", "CLI-QUOTES-1", "--json", "--store", store])
        let objects = try run.lines.map(parseObject)
        #expect(objects.count == 2, "\(run)")
        #expect(objects.map { $0["actor"] as? String } == [actor, actor])
        #expect(objects.map { $0["type"] as? String } == ["submitted", "rejected"])
        #expect((objects.first?["data"] as? [String: Any]).flatMap { $0["applicant"] as? [String: Any] }?["ref"] as? String == ref)
        #expect((objects.last?["data"] as? [String: Any])?["reason"] as? String == reason)

        // The export of the same events carries the same text.
        let export = try ledgerSucceeds(["export", "--store", store])
        let exported = try export.lines.map(parseObject).filter { $0["case"] as? String == "CLI-QUOTES-1" }
        #expect(exported.map { $0["actor"] as? String } == [actor, actor])
    }

    @Test("a bad line is named with its number and reason, and nothing of the file is written")
    func badLine() throws {
        let store = try storeWithCatalog()
        let head = try digest(of: store)
        let good = try submitted("CLI-BAD-1", actor: "clerk", ref: "r1")
        let cases: [(lines: [String], fragment: String)] = [
            ([good, #"{"case": "CLI-BAD-2", "type": "submitted""#], "line 2"),
            ([good, try submitted("CLI-BAD-2", actor: "clerk", ref: "r2"),
              try line(["case": "CLI-BAD-3", "type": "teleported", "at": "2023-03-01T10:00:00+08:00", "actor": "clerk", "data": [String: Any]()])],
             "line 3"),
            ([good, try line(["case": "CLI-BAD-1", "type": "approved", "at": "2023-03-01T09:00:00+08:00", "actor": "clerk",
                              "data": ["certificate": ["number": "X-1", "electronic": true]]])],
             "line 2"),
            (["not json at all"], "line 1"),
        ]
        for (index, bad) in cases.enumerated() {
            let run = try ledger(["import", try file("bad\(index).jsonl", bad.lines), "--store", store])
            expectOneLineError(run, containing: bad.fragment)
            #expect(try digest(of: store) == head, "\(run)")
        }
        expectOneLineError(try ledger(["history", "CLI-BAD-1", "--store", store]), containing: "has no events")
    }

    @Test("import of a missing file, or of a catalog that is not one, fails in one line and writes nothing")
    func missingFile() throws {
        let store = try storeWithCatalog()
        let head = try digest(of: store)
        expectOneLineError(try ledger(["import", folder.appending("nope.jsonl"), "--store", store]), containing: "no such file")
        let notCatalog = try file("cases.jsonl", [try submitted("CLI-CAT-1", actor: "clerk", ref: "r")])
        let run = try ledger(["import", "--catalog", notCatalog, "--store", store])
        expectOneLineError(run, containing: "line 1")
        #expect(try digest(of: store) == head)
        expectOneLineError(try ledger(["import", folder.path, "--store", store]), containing: "is a folder")
        expectOneLineError(try ledger(["import", "--catalog", folder.path, "--store", store]), containing: "is a folder")
        expectUsageError(try ledger(["import", "--store", store]), containing: "Missing expected argument")
        #expect(try digest(of: store) == head)
        // A store path that cannot be a folder.
        let blocked = try file("blocked", ["not a folder"])
        expectOneLineError(try ledger(["import", notCatalog, "--store", blocked]), containing: "--store \(blocked) is a file, not a store directory")
    }
}
