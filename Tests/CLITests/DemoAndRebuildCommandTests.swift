import Foundation
import Testing
import TestSupport

/// `ledger demo` and `ledger project rebuild`, on small stores of their own.
@Suite("ledger demo, project rebuild")
struct DemoAndRebuildCommandTests {
    let folder = TemporaryDirectory("ledger-cli-demo-own")

    @Test("demo is deterministic, refuses a store that is not empty, and replaces it on request")
    func demo() throws {
        let store = folder.appending("a"), twin = folder.appending("b")
        _ = try ledgerSucceeds(["demo", "--cases", "20", "--seed", "7", "--store", store])
        _ = try ledgerSucceeds(["demo", "--cases", "20", "--seed", "7", "--store", twin])
        let head = try digest(of: store)
        #expect(try digest(of: twin) == head)

        expectOneLineError(try ledger(["demo", "--cases", "20", "--store", store]), containing: "--replace")
        #expect(try digest(of: store) == head)

        let replaced = try ledgerSucceeds(["demo", "--cases", "20", "--seed", "8", "--replace", "--store", store])
        #expect(try digest(of: store) != head, "\(replaced)")
        #expect(replaced.stdout.contains("seed 8: 20 cases"), "\(replaced)")
    }

    @Test("demo refuses a case count or a year it cannot simulate")
    func demoFailures() throws {
        let store = folder.appending("never")
        expectUsageError(try ledger(["demo", "--cases", "0", "--store", store]), containing: "--cases must be")
        // No calendar for 1999: refused before the catalog is written.
        expectOneLineError(try ledger(["demo", "--cases", "5", "--year", "1999", "--store", store]), containing: "--year 1999")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test("project rebuild rebuilds one projection or all, and the views stay caught up")
    func rebuild() throws {
        let store = folder.appending("views")
        _ = try ledgerSucceeds(["demo", "--cases", "20", "--store", store])
        let events = try #require(try digest(of: store).split(separator: ":").first.map(String.init))
        let status = try ledgerSucceeds(["project", "status", "--store", store])
        let names = status.lines.dropFirst(2).compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names.count == 4, "\(status)")

        let one = try ledgerSucceeds(["project", "rebuild", try #require(names.first), "--store", store])
        #expect(one.stdout.hasPrefix("rebuilt 1 projection over \(events) events"), "\(one)")
        let all = try ledgerSucceeds(["project", "rebuild", "--all", "--store", store])
        #expect(all.stdout.hasPrefix("rebuilt 4 projections over \(events) events"), "\(all)")

        let after = try ledgerSucceeds(["project", "status", "--store", store])
        let rows = after.lines.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 4 && rows.allSatisfy { $0.count >= 5 && $0[3] == events && $0[4] == "0" }, "\(after)")
    }

    @Test("project rebuild refuses an unknown projection, and wants a name or --all")
    func rebuildFailures() throws {
        let store = folder.appending("views")
        _ = try ledgerSucceeds(["demo", "--cases", "5", "--store", store])
        expectOneLineError(try ledger(["project", "rebuild", "noSuchView", "--store", store]), containing: "noSuchView")
        expectUsageError(try ledger(["project", "rebuild", "--store", store]), containing: "--all")
        expectUsageError(try ledger(["project", "rebuild", "caseState", "--all", "--store", store]), containing: "--all")
    }
}
