import Foundation
import Testing

/// The commands over the log itself, on the shared demo store: digest, verify, stats, export, history.
@Suite("ledger digest, verify, stats, export, history")
struct LogCommandTests {
    let demo: DemoFixture

    init() throws { demo = try DemoFixture.shared.get() }

    @Test("demo prints a summary whose digest is the store's digest")
    func demoSummary() throws {
        #expect(demo.demo.stderr.isEmpty, "\(demo.demo)")
        #expect(demo.demo.stdout.contains("\(DemoFixture.cases) cases"), "\(demo.demo)")
        let head = try digest(of: demo.store)
        #expect(demo.demo.lines.contains { $0.hasPrefix("digest") && $0.hasSuffix(head) }, "\(demo.demo)")
    }

    @Test("digest prints SEQ:HEX, the seq being the number of events")
    func digestFormat() throws {
        let head = try digest(of: demo.store)
        let parts = head.split(separator: ":")
        #expect(parts.count == 2)
        #expect(UInt64(parts[0]) == UInt64(demo.exportLines.count))
        #expect(parts.last?.count == 64 && parts.last!.allSatisfy(\.isHexDigit))
    }

    @Test("verify checks the whole log, a range, and a published digest")
    func verifyIntact() throws {
        let head = try digest(of: demo.store)
        let events = demo.exportLines.count
        let all = try ledgerSucceeds(["verify", "--store", demo.store])
        #expect(all.stdout.hasPrefix("intact: seq 1…\(events) (\(events) events)"), "\(all)")
        #expect(all.stdout.contains("digest \(head)"), "\(all)")

        let range = try ledgerSucceeds(["verify", "--store", demo.store, "--from", "5", "--through", "10"])
        #expect(range.stdout.hasPrefix("intact: seq 5…10 (6 events)"), "\(range)")

        let published = try ledgerSucceeds(["verify", "--store", demo.store, "--digest", head])
        #expect(published.stdout.contains("matches published"), "\(published)")
    }

    @Test("verify against a digest that was not published fails and names the seq")
    func verifyWrongDigest() throws {
        let seq = demo.exportLines.count / 2
        let run = try ledger(["verify", "--store", demo.store, "--digest", "\(seq):" + String(repeating: "0", count: 64)])
        expectOneLineError(run, containing: "seq \(seq)")
        #expect(run.stderr.contains("NOT intact"), "\(run)")
    }

    @Test("verify refuses a range outside the log")
    func verifyOutside() throws {
        expectOneLineError(try ledger(["verify", "--store", demo.store, "--from", "99999999"]), containing: "nothing to verify")
        expectOneLineError(try ledger(["verify", "--store", demo.store, "--from", "9", "--through", "3"]), containing: "nothing to verify")
    }

    @Test("verify refuses a digest that is not SEQ:HEX")
    func verifyMalformedDigest() throws {
        expectUsageError(try ledger(["verify", "--store", demo.store, "--digest", "12:abc"]), containing: "--digest must be SEQ:HEX")
    }

    @Test("stats counts the events, the cases with the catalog, and the head")
    func stats() throws {
        let run = try ledgerSucceeds(["stats", "--store", demo.store])
        var figures: [String: String] = [:]
        for line in run.lines {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count >= 2 { figures[String(words[0])] = String(words[1]) }
        }
        #expect(figures["events"] == "\(demo.exportLines.count)", "\(run)")
        let streams = Set(try demo.exportLines.map { try parseObject($0)["case"] as? String })
        #expect(figures["cases"] == "\(streams.count)", "\(run)")
        #expect(figures["head"] == (try digest(of: demo.store)), "\(run)")
        #expect(Int(figures["bytes"] ?? "") ?? 0 > 0, "\(run)")
    }

    @Test("export writes every event as one interchange object a line, from a seq on")
    func export() throws {
        let keys: Set<String> = ["id", "case", "type", "at", "actor", "data"]
        for line in demo.exportLines {
            #expect(Set(try parseObject(line).keys) == keys, "\(line)")
        }
        let tail = try ledgerSucceeds(["export", "--store", demo.store, "--from", "11"])
        #expect(tail.lines == Array(demo.exportLines.dropFirst(10)))
    }

    @Test("history prints every event of a case, as a table and as JSON Lines")
    func history() throws {
        let events = try demo.exportLines.map(parseObject).filter { $0["case"] as? String == demo.caseNumber }
        let table = try ledgerSucceeds(["history", demo.caseNumber, "--store", demo.store])
        #expect(table.lines.count == events.count, "\(table)")
        #expect(table.lines.allSatisfy { $0.split(separator: "\t").count == 7 }, "\(table)")

        let json = try ledgerSucceeds(["history", demo.caseNumber, "--json", "--store", demo.store])
        let objects = try json.lines.map(parseObject)
        #expect(objects.map { $0["type"] as? String } == events.map { $0["type"] as? String })
        #expect(objects.map { $0["actor"] as? String } == events.map { $0["actor"] as? String })
        #expect(objects.map { $0["version"] as? Int } == Array(0 ..< events.count))
        #expect(objects.allSatisfy { ($0["hash"] as? String)?.count == 64 && $0["seq"] is Int && $0["data"] is [String: Any] })
    }

    @Test("history of a case without events, or of a malformed case number, fails in one line")
    func historyUnknown() throws {
        expectOneLineError(try ledger(["history", "NO-SUCH-CASE", "--store", demo.store]), containing: "NO-SUCH-CASE has no events")
        expectUsageError(try ledger(["history", "has space", "--store", demo.store]), containing: "invalid case number")
    }
}

/// One line of JSON that must be an object.
func parseObject(_ line: String) throws -> [String: Any] {
    guard let object = try parseJSON(line) as? [String: Any] else { throw CLITestError("not a JSON object: \(line)") }
    return object
}
