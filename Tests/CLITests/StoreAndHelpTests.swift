import Foundation
import Testing
import TestSupport

/// What every command shares: a mistyped store is named in one line (and not created), and
/// `--help` works everywhere.
@Suite("ledger --store, --help")
struct StoreAndHelpTests {
    /// Every command that only reads, with the arguments it needs besides --store.
    static let readCommands: [[String]] = [
        ["digest"], ["verify"], ["stats"], ["export"], ["history", "C-1"],
        ["case", "C-1", "--today", "2023-06-30"], ["queue", "--window", "W01", "--today", "2023-06-30"],
        ["due", "--within", "0", "--today", "2023-06-30"], ["overdue", "--today", "2023-06-30"],
        ["bad-reviews", "--today", "2023-06-30"],
        ["project", "status"], ["project", "rebuild", "--all"],
        ["report", "processing-time"], ["report", "convenience"], ["report", "evaluations"], ["report", "gold-windows"],
    ]

    @Test("a read command on a mistyped --store fails in one line and creates nothing", arguments: readCommands)
    func mistypedStore(_ command: [String]) throws {
        let folder = TemporaryDirectory("ledger-cli-nostore")
        let store = folder.appending("ledger-dta")
        expectOneLineError(try ledger(command + ["--store", store]), containing: "no store at \(store)")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test("a read command on a folder that is not a ledger store fails in one line", arguments: [
        ["digest"], ["stats"], ["history", "C-1"], ["report", "convenience"],
    ])
    func notAStore(_ command: [String]) throws {
        let folder = TemporaryDirectory("ledger-cli-notastore")
        try FileManager.default.createDirectory(atPath: folder.appending("events"), withIntermediateDirectories: true)
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: folder.appending("events/data.mdb")))
        // A damaged store (or no store at all) is named with exit status 3, never crashed on.
        expectOneLineError(try ledger(command + ["--store", folder.path]), containing: "has no valid LMDB meta page", status: 3)
    }

    /// Every command and command group.
    static let commands: [[String]] = [
        [], ["demo"], ["import"], ["export"], ["history"], ["digest"], ["verify"], ["stats"],
        ["project"], ["project", "status"], ["project", "rebuild"], ["case"], ["queue"], ["due"], ["overdue"], ["bad-reviews"],
        ["report"], ["report", "processing-time"], ["report", "convenience"], ["report", "evaluations"], ["report", "gold-windows"],
    ]

    @Test("--help of every command exits 0 with its usage on stdout, and every document it names is in the repository",
          arguments: commands)
    func help(_ command: [String]) throws {
        let run = try ledgerSucceeds(command + ["--help"])
        #expect(run.stdout.contains("USAGE: " + (["ledger"] + command).joined(separator: " ")), "\(run)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let words = run.stdout.split(whereSeparator: { !($0.isLetter || $0.isNumber || "._-/".contains($0)) })
            .map { String($0.reversed().drop { $0 == "." }.reversed()) } // a sentence's full stop is not part of the name
        for document in words where document.hasSuffix(".md") {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(String(document)).path),
                    "`ledger \(command.joined(separator: " ")) --help` names \(document), which is not in the repository")
        }
    }

    @Test("an unknown command or option is a usage error")
    func unknownCommand() throws {
        expectUsageError(try ledger(["frobnicate"]), containing: "frobnicate")
        expectUsageError(try ledger(["stats", "--stroe", "x"]), containing: "--stroe")
    }
}

/// Reference data given by name is the data used: a mistyped --seeds is named, not replaced.
@Suite("ledger --seeds")
struct SeedsOptionTests {
    @Test("a command on a mistyped --seeds fails in one line", arguments: [
        ["report", "convenience"], ["case", "C-1", "--today", "2023-06-30"], ["demo", "--cases", "5"],
    ])
    func mistypedSeeds(_ command: [String]) throws {
        let demo = try DemoFixture.shared.get()
        let folder = TemporaryDirectory("ledger-cli-noseeds")
        let seeds = folder.appending("seedz")
        let store = command.first == "demo" ? folder.appending("store") : demo.store
        let run = try ledger(command + ["--seeds", seeds, "--store", store])
        expectOneLineError(run, containing: "--seeds \(seeds) does not exist")
        if command.first == "demo" { #expect(!FileManager.default.fileExists(atPath: store + "/events/data.mdb")) }
    }
}
