import Foundation
import Testing

/// The clerk's commands over the case-state view, on the shared demo store: case, queue, due, overdue.
@Suite("ledger case, queue, due, overdue")
struct CaseStateCommandTests {
    let demo: DemoFixture

    init() throws { demo = try DemoFixture.shared.get() }

    /// The keys every case object has, null or not.
    static let caseKeys: Set<String> = [
        "case", "status", "item", "window", "acceptedAt", "completedAt", "legalDays", "promisedDays", "extensionDays",
        "deadline", "effectiveWorkingDays", "remainingWorkingDays", "onTime", "overdue", "suspended", "warning",
        "visits", "evaluation", "today", "asOf",
    ]

    @Test("case prints one case as a table and as JSON, now and as of a past moment")
    func caseState() throws {
        let table = try ledgerSucceeds(["case", demo.caseNumber, "--today", "2023-12-29", "--store", demo.store])
        #expect(table.lines.first?.contains(demo.caseNumber) == true, "\(table)")
        #expect(table.lines.contains { $0.hasPrefix("status") }, "\(table)")

        let json = try ledgerSucceeds(["case", demo.caseNumber, "--today", "2023-12-29", "--format", "json", "--store", demo.store])
        let object = try parseObject(json.stdout)
        #expect(Set(object.keys) == Self.caseKeys)
        #expect(object["case"] as? String == demo.caseNumber)
        #expect(object["window"] as? String == demo.window)
        #expect(object["today"] as? String == "2023-12-29")

        let past = try ledgerSucceeds(["case", demo.caseNumber, "--as-of", "2023-12-31T23:59:59+08:00", "--format", "json", "--store", demo.store])
        #expect(try parseObject(past.stdout)["asOf"] is String)
    }

    @Test("case refuses an unknown case, a day outside the calendars, and --today with --as-of")
    func caseFailures() throws {
        expectOneLineError(try ledger(["case", "NO-SUCH-CASE", "--today", "2023-06-30", "--store", demo.store]),
                           containing: "NO-SUCH-CASE has no events")
        expectOneLineError(try ledger(["case", demo.caseNumber, "--today", "1999-06-30", "--store", demo.store]),
                           containing: "--today 1999-06-30")
        expectOneLineError(try ledger(["case", "NO-SUCH-CASE", "--as-of", "2023-06-30", "--store", demo.store]),
                           containing: "had no events by")
        expectUsageError(try ledger(["case", demo.caseNumber, "--today", "2023-06-30", "--as-of", "2023-06-30", "--store", demo.store]),
                         containing: "not both")
        expectUsageError(try ledger(["case", demo.caseNumber, "--as-of", "yesterday", "--store", demo.store]), containing: "RFC 3339")
        expectUsageError(try ledger(["case", demo.caseNumber, "--format", "xml", "--store", demo.store]), containing: "xml")
    }

    @Test("queue, due and overdue print JSON arrays of case objects and tables with a count line")
    func caseLists() throws {
        let commands: [[String]] = [
            ["queue", "--window", demo.window],
            ["due", "--within", "5"],
            ["due", "--within", "0", "--window", demo.window],
            ["overdue"],
            ["overdue", "--window", demo.window],
        ]
        var listed = 0
        let day = String(demo.acceptedAt.prefix(10))
        for command in commands {
            for moment in [["--as-of", demo.acceptedAt], ["--today", day]] {
                let json = try ledger(command + moment + ["--format", "json", "--store", demo.store])
                #expect(json.status == 0, "\(json)")
                guard let array = try parseJSON(json.stdout) as? [[String: Any]] else {
                    Issue.record("not a JSON array of objects: \(json)")
                    continue
                }
                listed += array.count
                #expect(array.allSatisfy { Set($0.keys) == Self.caseKeys }, "\(json)")
                if command.contains("--window") { #expect(array.allSatisfy { $0["window"] as? String == demo.window }) }
                if command == ["overdue"] { #expect(array.allSatisfy { $0["overdue"] as? Bool == true }) }
                // Just accepted, the case is open at its window.
                if command.first == "queue", moment.first == "--as-of" {
                    #expect(array.contains { $0["case"] as? String == demo.caseNumber }, "\(json)")
                }

                let table = try ledger(command + moment + ["--store", demo.store])
                #expect(table.status == 0, "\(table)")
                if array.isEmpty {
                    #expect(table.lines.count == 1, "\(table)")
                } else {
                    #expect(table.lines.first?.hasPrefix("case") == true, "\(table)")
                    #expect(table.lines.last?.contains("\(array.count) case") == true, "\(table)")
                }
            }
        }
        // The lists are not all empty (else they test nothing).
        #expect(listed > 0)
    }

    @Test("queue, due and overdue refuse an unknown window, a bad horizon and a day outside the calendars")
    func caseListFailures() throws {
        expectOneLineError(try ledger(["queue", "--window", "W99", "--today", "2023-06-30", "--store", demo.store]), containing: "no window W99")
        expectUsageError(try ledger(["queue", "--today", "2023-06-30", "--store", demo.store]), containing: "--window")
        expectUsageError(try ledger(["due", "--within", "999", "--today", "2023-06-30", "--store", demo.store]), containing: "--within must be")
        expectUsageError(try ledger(["due", "--within", "x", "--store", demo.store]), containing: "--within")
        expectUsageError(try ledger(["overdue", "--today", "2023-02-30", "--store", demo.store]), containing: "not a date")
        expectOneLineError(try ledger(["overdue", "--today", "1999-06-30", "--store", demo.store]), containing: "--today 1999-06-30")
    }
}
