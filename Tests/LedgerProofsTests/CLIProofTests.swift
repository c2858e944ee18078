import Foundation
import Testing
import TestSupport

/// An executable built beside this test binary.
private func builtExecutable(_ name: String) throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var candidates = [URL(fileURLWithPath: exe).deletingLastPathComponent()]
    // Test bundles may sit one or more levels below the products folder.
    for _ in 0 ..< 3 { candidates.append(candidates.last!.deletingLastPathComponent()) }
    for folder in candidates {
        let path = folder.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw ToolMissing(description: "\(name) not found next to \(exe); build with --build-tests")
}

private struct ToolMissing: Error, CustomStringConvertible { let description: String }

/// What a child process did.
private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

private func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting: a full pipe would block the child.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
               stderr: String(decoding: stderr, as: UTF8.self))
}

/// The repository's Docs/verify_bundle.py (…/Tests/LedgerProofsTests/CLIProofTests.swift → …/Docs).
private let verifierScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Docs/verify_bundle.py").path

/// Writes `bundle` with `change` applied to its JSON object, as a tamperer would.
private func tamper(_ bundle: String, in directory: String, as name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + bundle))
    var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    change(&object)
    try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory + "/" + name))
    return name
}

/// Flips one bit of the base64 text's decoded bytes at `index` (from the end when negative).
private func flipBase64(_ text: String, at index: Int) -> String {
    var bytes = [UInt8](Data(base64Encoded: text)!)
    bytes[index < 0 ? bytes.count + index : index] ^= 0x01
    return Data(bytes).base64EncodedString()
}

@Suite("ledger key, checkpoint, prove and check; the independent verifier agrees")
struct CLIProofTests {
    @Test("the audit walk-through: publish a checkpoint, prove a case, check it without the store; tampering fails both checkers")
    func auditWalkThrough() throws {
        let ledger = try builtExecutable("ledger")
        let dir = TemporaryDirectory("ledger-cli-proof")
        let store = ["--store", dir.appending("store")]
        #expect(try run(ledger, ["demo", "--cases", "40"] + store, in: dir.path).status == 0)

        let generated = try run(ledger, ["key", "generate", "--out", "bureau"], in: dir.path)
        #expect(generated.status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appending("bureau.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try run(ledger, ["key", "generate", "--out", "bureau"], in: dir.path).status != 0, "a key is never overwritten")

        let checkpoint = try run(ledger, ["checkpoint", "--key", "bureau.key", "--origin", "bureau.test/ledger"] + store, in: dir.path)
        #expect(checkpoint.status == 0)
        try checkpoint.stdout.write(toFile: dir.appending("checkpoint"), atomically: true, encoding: .utf8)
        #expect(checkpoint.stdout.hasPrefix("bureau.test/ledger\n"))

        // A case with several events: the first case number that is not the catalog.
        let export = try run(ledger, ["export"] + store, in: dir.path)
        let caseNumber = try #require(export.stdout.split(separator: "\n").lazy.compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let number = object["case"] as? String, number != "CATALOG" else { return nil }
            return number
        }.first)

        let proved = try run(ledger, ["prove", caseNumber, "--checkpoint", "checkpoint"] + store, in: dir.path)
        #expect(proved.status == 0, "\(proved.stderr)")
        try proved.stdout.write(toFile: dir.appending("bundle.json"), atomically: true, encoding: .utf8)

        // Checked elsewhere: no --store, no store.
        let checked = try run(ledger, ["check", "bundle.json", "--public-key", "bureau.pub"], in: dir.path)
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("proven: case \(caseNumber)"))
        let python = try run("/usr/bin/env", ["python3", verifierScript, "bundle.json", "bureau.pub"], in: dir.path)
        #expect(python.status == 0, "\(python.stdout)")

        var tampered: [String] = []
        tampered.append(try tamper("bundle.json", in: dir.path, as: "record.json") { object in
            var records = object["records"] as! [[String: Any]]
            records[0]["record"] = flipBase64(records[0]["record"] as! String, at: 40)
            object["records"] = records
        })
        tampered.append(try tamper("bundle.json", in: dir.path, as: "path.json") { object in
            var records = object["records"] as! [[String: Any]]
            var path = records[0]["path"] as! [String]
            path[0] = flipBase64(path[0], at: 3)
            records[0]["path"] = path
            object["records"] = records
        })
        tampered.append(try tamper("bundle.json", in: dir.path, as: "root.json") { object in
            var lines = (object["checkpoint"] as! String).components(separatedBy: "\n")
            lines[2] = flipBase64(lines[2], at: 0)
            object["checkpoint"] = lines.joined(separator: "\n")
        })
        tampered.append(try tamper("bundle.json", in: dir.path, as: "signature.json") { object in
            var lines = (object["checkpoint"] as! String).components(separatedBy: "\n")
            var fields = lines[4].components(separatedBy: " ")
            fields[2] = flipBase64(fields[2], at: -1)
            lines[4] = fields.joined(separator: " ")
            object["checkpoint"] = lines.joined(separator: "\n")
        })
        tampered.append(try tamper("bundle.json", in: dir.path, as: "dropped.json") { object in
            var records = object["records"] as! [[String: Any]]
            records.remove(at: 0)
            object["records"] = records
        })
        for name in tampered {
            let swift = try run(ledger, ["check", name, "--public-key", "bureau.pub"], in: dir.path)
            #expect(swift.status == 1, "\(name): ledger check accepted it")
            let failure = swift.stderr.split(separator: "\n")
            #expect(failure.count == 1 && failure[0].contains("NOT proven"), "\(name): \(swift.stderr)")
            let python = try run("/usr/bin/env", ["python3", verifierScript, name, "bureau.pub"], in: dir.path)
            #expect(python.status == 1, "\(name): the Python verifier accepted it")
            #expect(python.stdout.hasPrefix("NOT proven"), "\(name): \(python.stdout)")
        }

        // A different key: both refuse.
        #expect(try run(ledger, ["key", "generate", "--out", "other"], in: dir.path).status == 0)
        #expect(try run(ledger, ["check", "bundle.json", "--public-key", "other.pub"], in: dir.path).status == 1)
        #expect(try run("/usr/bin/env", ["python3", verifierScript, "bundle.json", "other.pub"], in: dir.path).status == 1)
    }

    @Test("consistency: the grown log proves it extends an old digest; both checkers accept it and refuse a forged one")
    func consistencyWalkThrough() throws {
        let ledger = try builtExecutable("ledger")
        let dir = TemporaryDirectory("ledger-cli-consistency")
        let store = ["--store", dir.appending("store")]
        #expect(try run(ledger, ["demo", "--cases", "30"] + store, in: dir.path).status == 0)
        #expect(try run(ledger, ["key", "generate", "--out", "bureau"], in: dir.path).status == 0)
        let digest = try run(ledger, ["digest"] + store, in: dir.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let size = try #require(UInt64(digest.split(separator: ":")[0]))
        // An older point of the same log: its root at half the size, signed now.
        let old = try run(ledger, ["checkpoint", "--key", "bureau.key", "--at", "\(size / 2)"] + store, in: dir.path).stdout
        let oldRootHex = Data(base64Encoded: old.components(separatedBy: "\n")[2])!.map { String(format: "%02x", $0) }.joined()
        let proved = try run(ledger, ["prove", "--from", "\(size / 2):\(oldRootHex)", "--key", "bureau.key"] + store, in: dir.path)
        #expect(proved.status == 0, "\(proved.stderr)")
        try proved.stdout.write(toFile: dir.appending("consistency.json"), atomically: true, encoding: .utf8)
        #expect(try run(ledger, ["check", "consistency.json", "--public-key", "bureau.pub"], in: dir.path).status == 0)
        #expect(try run("/usr/bin/env", ["python3", verifierScript, "consistency.json", "bureau.pub"], in: dir.path).status == 0)

        let forged = try tamper("consistency.json", in: dir.path, as: "forged.json") { object in
            object["old"] = "\(size / 2):" + String(repeating: "ab", count: 32)
        }
        #expect(try run(ledger, ["check", forged, "--public-key", "bureau.pub"], in: dir.path).status == 1)
        #expect(try run("/usr/bin/env", ["python3", verifierScript, forged, "bureau.pub"], in: dir.path).status == 1)
        // The store refuses to prove a digest it does not extend.
        let refused = try run(ledger, ["prove", "--from", "\(size / 2):" + String(repeating: "ab", count: 32), "--key", "bureau.key"] + store,
                              in: dir.path)
        #expect(refused.status != 0)
        #expect(refused.stdout.isEmpty)
    }

    @Test("bad invocations exit non-zero with one line and write nothing")
    func badInvocations() throws {
        let ledger = try builtExecutable("ledger")
        let dir = TemporaryDirectory("ledger-cli-bad")
        for arguments in [["prove"], ["prove", "X-1", "--checkpoint", "c", "--at", "3"], ["prove", "--from", "nonsense"],
                          ["check", "missing.json", "--public-key", "missing.pub"], ["checkpoint", "--store", dir.appending("none")]] {
            let result = try run(ledger, arguments, in: dir.path)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
    }
}
