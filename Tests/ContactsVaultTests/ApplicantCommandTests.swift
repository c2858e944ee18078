import Foundation
import Testing
import TestSupport

/// The `ledger` binary built beside this test binary.
private func ledgerPath() throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0 ..< 4 {
        let path = folder.appendingPathComponent("ledger").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        folder.deleteLastPathComponent()
    }
    throw CLIError("the ledger binary was not found near \(exe); build with `swift build --build-tests`")
}

private struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What one run of the binary did.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Runs `ledger` with `arguments` on a temporary store, output captured through files (an
/// export is larger than a pipe's buffer).
final class LedgerCLI: @unchecked Sendable {
    let directory = TemporaryDirectory("applicant-cli")
    var store: String { directory.appending("store") }
    var keyFile: String { directory.appending("district.key") }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ledgerPath())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LEDGER_PSEUDONYM_KEY")
        env.merge(environment) { $1 }
        process.environment = env
        let out = directory.appending("stdout-\(UUID().uuidString)")
        let err = directory.appending("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        return CLIRun(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: err)), as: UTF8.self))
    }

    /// `ledger applicant …` on the store.
    func applicant(_ arguments: [String]) throws -> CLIRun {
        try run(["applicant"] + arguments + ["--store", store])
    }
}

@Suite("ledger applicant (the binary)", .serialized)
struct ApplicantCommandTests {
    static let name = "王小明"
    static let mobile = "13912345678"
    static let idNumber = "11010519491231002X"

    @Test("bad input is one line on stderr that never repeats the number, exit 1, nothing written")
    func badInput() throws {
        let cli = LedgerCLI()
        #expect(try cli.run(["applicant", "key", "generate", "--out", cli.keyFile]).status == 0)
        let attempts: [([String], String)] = [
            (["--name", Self.name, "--mobile", "1391234567", "--key", cli.keyFile], "mobile"),
            (["--name", Self.name, "--mobile", Self.mobile, "--id-number", "110105194912310021", "--key", cli.keyFile], "MOD 11-2"),
            (["--name", Self.name, "--mobile", Self.mobile, "--id-number", "11010519491231002", "--key", cli.keyFile], "18 characters"),
            (["--name", Self.name, "--mobile", Self.mobile], "LEDGER_PSEUDONYM_KEY"),
            (["--name", Self.name, "--mobile", Self.mobile, "--key", cli.directory.appending("missing.key")], "cannot be read"),
        ]
        for (arguments, words) in attempts {
            let result = try cli.applicant(["add"] + arguments)
            #expect(result.status == 1)
            #expect(result.stderrLines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(words), "\(result.stderr)")
            #expect(!result.stderr.contains("1391234567") && !result.stderr.contains("11010519491231002"))
            #expect(result.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: cli.store + "/contacts"))

        let notAPseudonym = try cli.applicant(["show", Self.idNumber])
        #expect(notAPseudonym.status == 1 && notAPseudonym.stderrLines.count == 1)
        #expect(!notAPseudonym.stderr.contains(Self.idNumber))
        let noVault = try cli.applicant(["show", "P-0123456789abcdef0123456789abcdef"])
        #expect(noVault.status == 1 && noVault.stderrLines.count == 1 && noVault.stderr.contains("no contacts vault"))

        chmod(cli.keyFile, 0o644)
        let open = try cli.applicant(["add", "--name", Self.name, "--mobile", Self.mobile, "--key", cli.keyFile])
        #expect(open.status == 1 && open.stderr.contains("chmod 600"))
        let again = try cli.run(["applicant", "key", "generate", "--out", cli.keyFile])
        #expect(again.status == 1 && again.stderr.contains("never overwritten"))
    }

    @Test("add, show, accesses, erase: the log verifies and export and reports are unchanged; no file holds the contact")
    func lifecycle() throws {
        let cli = LedgerCLI()
        let demo = try cli.run(["demo", "--cases", "300", "--store", cli.store])
        try #require(demo.status == 0, "\(demo.stderr)")
        #expect(try cli.run(["applicant", "key", "generate", "--out", cli.keyFile]).status == 0)
        let mode = (try FileManager.default.attributesOfItem(atPath: cli.keyFile)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)

        let added = try cli.run(["applicant", "add", "--name", Self.name, "--mobile", Self.mobile, "--id-number", Self.idNumber.lowercased(),
                                 "--store", cli.store], environment: ["LEDGER_PSEUDONYM_KEY": cli.keyFile])
        try #require(added.status == 0, "\(added.stderr)")
        let pseudonym = added.stdout.trimmingCharacters(in: .newlines)
        #expect(pseudonym.hasPrefix("P-") && pseudonym.count == 34)
        let repeated = try cli.applicant(["add", "--name", Self.name, "--mobile", Self.mobile, "--id-number", Self.idNumber, "--key", cli.keyFile])
        #expect(repeated.stdout.trimmingCharacters(in: .newlines) == pseudonym)

        // A case of the applicant's, accepted at W05 (不动产登记: the window hosts the item's department).
        let caseFile = cli.directory.appending("case.jsonl")
        try """
        {"case":"LZH-2023-900001","type":"submitted","at":"2023-06-01T09:00:00+08:00","actor":"clerk-05","data":{"item":"LZH-Q-0291","channel":"window","applicant":{"kind":"person","ref":"\(pseudonym)"}}}
        {"case":"LZH-2023-900001","type":"accepted","at":"2023-06-01T09:05:00+08:00","actor":"clerk-05","data":{"item":"LZH-Q-0291","window":"W05"}}

        """.write(toFile: caseFile, atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", caseFile, "--store", cli.store]).status == 0)

        // Reads and erasures are dated today, years after the demo's cases: they must not move the reports.
        let exportBefore = try cli.run(["export", "--store", cli.store]).stdout
        let reports = [["report", "processing-time", "--by", "window"], ["report", "evaluations", "--by", "window"],
                       ["report", "gold-windows", "--format", "json"]]
        // Each report names the log seq its views are at, which the access events move on; the rest must not change.
        func figures(_ report: [String]) throws -> String {
            try cli.run(report + ["--store", cli.store]).stdout
                .replacingOccurrences(of: #"views at seq [0-9]+"#, with: "views at seq N", options: .regularExpression)
                .replacingOccurrences(of: #""checkpoint" : [0-9]+"#, with: #""checkpoint" : N"#, options: .regularExpression)
        }
        let reportsBefore = try reports.map(figures)
        #expect(reportsBefore.allSatisfy { !$0.isEmpty })

        let shown = try cli.applicant(["show", pseudonym, "--actor", "clerk-07", "--reason", "差评回访"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(Self.name) && shown.stdout.contains(Self.mobile) && shown.stdout.contains(Self.idNumber))
        let otherWindow = try cli.applicant(["show", pseudonym, "--actor", "clerk-02", "--window", "W02"])
        #expect(otherWindow.status == 1 && otherWindow.stderrLines.count == 1 && otherWindow.stderr.contains("may not read"))
        #expect(!otherWindow.stdout.contains(Self.name))
        let clerk = try cli.applicant(["show", pseudonym, "--actor", "clerk-05", "--window", "W05", "--json"])
        #expect(clerk.status == 0 && clerk.stdout.contains("\"mobile\":\"\(Self.mobile)\""))
        let accesses = try cli.applicant(["accesses", pseudonym, "--json"])
        #expect(accesses.status == 0)
        let reads = accesses.stdout.split(separator: "\n")
        #expect(reads.count == 2)
        #expect(reads.first.map { $0.contains(#""actor":"clerk-07","type":"contactRead","reason":"差评回访""#) } == true)
        #expect(reads.last.map { $0.contains(#""actor":"clerk-05","type":"contactRead","reason":"回访""#) } == true)
        let table = try cli.applicant(["accesses", pseudonym]).stdout
        #expect(table.contains("actor") && table.contains("clerk-07") && table.contains("差评回访"))

        let missingReason = try cli.applicant(["erase", pseudonym])
        #expect(missingReason.status != 0)
        let erased = try cli.applicant(["erase", pseudonym, "--reason", "申请人要求删除", "--actor", "officer-2"])
        #expect(erased.status == 0, "\(erased.stderr)")
        let twice = try cli.applicant(["erase", pseudonym, "--reason", "again"])
        #expect(twice.status == 1 && twice.stderrLines.count == 1 && twice.stderr.contains("already erased"))

        let after = try cli.applicant(["show", pseudonym])
        #expect(after.status == 0)
        #expect(after.stdout.contains("erased at") && after.stdout.contains("officer-2") && after.stdout.contains("申请人要求删除"))
        #expect(!after.stdout.contains(Self.name))

        #expect(try cli.run(["verify", "--store", cli.store]).status == 0)
        let exportAfter = try cli.run(["export", "--store", cli.store]).stdout
        #expect(exportAfter.hasPrefix(exportBefore))
        let appended = exportAfter.dropFirst(exportBefore.count).split(separator: "\n")
        #expect(appended.count == 3 && appended.allSatisfy { $0.contains("\"case\":\"ACCESS\"") })
        #expect(appended.last?.contains("\"contactErased\"") == true)
        #expect(try reports.map(figures) == reportsBefore)
        let audit = try cli.applicant(["accesses", pseudonym, "--json"]).stdout.split(separator: "\n")
        #expect(audit.count == 3 && audit[2].contains(#""actor":"officer-2","type":"contactErased","reason":"申请人要求删除""#))

        // The access stream travels with the log: importing the export rebuilds the same chain.
        let exported = cli.directory.appending("all.jsonl")
        try exportAfter.write(toFile: exported, atomically: true, encoding: .utf8)
        let copy = cli.directory.appending("copy")
        #expect(try cli.run(["import", exported, "--store", copy]).status == 0)
        #expect(try cli.run(["digest", "--store", copy]).stdout == cli.run(["digest", "--store", cli.store]).stdout)

        for file in try filesUnder(cli.store) {
            for secret in [Self.name, Self.mobile, Self.idNumber] {
                #expect(!contains(file.bytes, Array(secret.utf8)), "\(secret) found in \(file.path)")
            }
        }
    }
}
