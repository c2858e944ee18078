import Foundation
import Synchronization
import Testing

private func truncate(_ path: String, to size: Int) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
}

private func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
}

/// The run ended by exit (never a signal), non-zero, with exactly one line on stderr.
func expectOneLineFailure(_ run: LedgerRun, mentioning words: [String] = [],
                                  sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!run.signalled, "\(run)", sourceLocation: sourceLocation)
    #expect(run.status != 0, "\(run)", sourceLocation: sourceLocation)
    #expect(run.stderrLines.count == 1, "\(run)", sourceLocation: sourceLocation)
    for word in words { #expect(run.stderr.contains(word), "\(run)", sourceLocation: sourceLocation) }
}

@Suite("Damaged stores and careless use, from the command line", .serialized)
struct CommandLineDamageTests {
    @Test("a data.mdb truncated to 8 KiB or to half: every command says the store is damaged in one line (before: SIGBUS)",
          arguments: [8192, -2])
    func truncatedLog(to bytes: Int) throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("truncated")
        defer { try? FileManager.default.removeItem(atPath: store) }
        let data = store + "/events/data.mdb"
        try truncate(data, to: bytes > 0 ? bytes : size(data) / 2)
        for command in everyCommand(caseNumber: pristine.caseNumber) + [["import", "/dev/null"], ["repair"]] {
            let run = try runLedger(command + ["--store", store])
            expectOneLineFailure(run, mentioning: ["damaged", "truncated"])
            #expect(run.status == 3, "\(run)")
        }
    }

    @Test("a zero-byte data.mdb is refused for writing too: no new, empty ledger starts over it")
    func emptyLogIsNotANewLedger() throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("empty")
        defer { try? FileManager.default.removeItem(atPath: store) }
        try truncate(store + "/events/data.mdb", to: 0)
        for command in [["import", "/dev/null"], ["stats"], ["demo", "--cases", "5"]] {
            expectOneLineFailure(try runLedger(command + ["--store", store]), mentioning: ["empty"])
        }
        #expect(size(store + "/events/data.mdb") == 0)
    }

    @Test("read commands on a mistyped --store say so in one line and create nothing")
    func mistypedStorePath() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-typo-\(UUID().uuidString.prefix(8))").path
        let typo = parent + "/no/such/store"
        for command in everyCommand(caseNumber: "LZH-2023-000001") + [["project", "rebuild", "--all"], ["repair"], ["backup", parent + "/b"]] {
            expectOneLineFailure(try runLedger(command + ["--store", typo]), mentioning: ["no store"])
        }
        #expect(!FileManager.default.fileExists(atPath: parent))
    }

    @Test("a --store that is a file is one line, not a Foundation error dump")
    func storePathIsAFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-file-\(UUID().uuidString.prefix(8))").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("notes".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        for command in [["stats"], ["import", "/dev/null"], ["project", "status"], ["demo", "--cases", "5"]] {
            expectOneLineFailure(try runLedger(command + ["--store", file]), mentioning: ["is a file"])
        }
        #expect(FileManager.default.contents(atPath: file) == Data("notes".utf8))
    }

    @Test("export to /dev/full or into a closed pipe fails with one line (before: exit 0, output lost)")
    func exportChecksEveryWrite() throws {
        let pristine = try PristineStore.shared.get()
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let toFull = try runLedger(["export", "--store", pristine.directory], stdout: full)
        expectOneLineFailure(toFull, mentioning: ["disk is full"])

        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let toClosedPipe = try runLedger(["export", "--store", pristine.directory], stdout: pipe.fileHandleForWriting)
        expectOneLineFailure(toClosedPipe, mentioning: ["closed the pipe"])
        // Printed output (not only the export's large writes) is checked too.
        let digest = try runLedger(["digest", "--store", pristine.directory], stdout: full)
        expectOneLineFailure(digest, mentioning: ["cannot write the output"])
    }

    @Test("control characters from input are escaped in error lines")
    func controlCharactersEscaped() throws {
        let pristine = try PristineStore.shared.get()
        let run = try runLedger(["history", "UNI\n\u{1B}[31mRED", "--store", pristine.directory])
        #expect(!run.signalled && run.status != 0, "\(run)")
        // One error line (a mistyped argument is followed by ArgumentParser's usage hint).
        #expect(run.stderrLines.first?.contains("UNI\\n\\u{1B}[31mRED") == true, "\(run)")
        #expect(run.stderrLines.filter { $0.hasPrefix("Error:") }.count == 1, "\(run)")
        #expect(!run.stderr.contains("\u{1B}"), "\(run)")
        #expect(run.stderr.contains("\\u{1B}"), "\(run)")
    }

    @Test("demo --replace deletes only what the store owns; an operator's file in the directory stays")
    func replaceKeepsUnrelatedFiles() throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("replace")
        defer { try? FileManager.default.removeItem(atPath: store) }
        _ = FileManager.default.createFile(atPath: store + "/operator-notes.txt", contents: Data("keep me".utf8))
        let run = try runLedger(["demo", "--cases", "20", "--replace", "--store", store])
        #expect(run.status == 0, "\(run)")
        #expect(FileManager.default.contents(atPath: store + "/operator-notes.txt") == Data("keep me".utf8))
        let stats = try runLedger(["stats", "--store", store])
        #expect(stats.output.contains("events "), "\(stats)")
        #expect(!stats.output.contains("events       2962"), "the log was not replaced: \(stats.output)")
    }

    @Test("backup while in use, verified, restorable: views rebuild for the restored log and say so")
    func backupAndRestore() throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("backup")
        let backup = store + "-backup"
        defer {
            try? FileManager.default.removeItem(atPath: store)
            try? FileManager.default.removeItem(atPath: backup)
        }
        let digest = try runLedger(["digest", "--store", store]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let made = try runLedger(["backup", backup, "--store", store])
        #expect(made.status == 0, "\(made)")
        #expect(made.output.contains("digest \(digest)"), "\(made)")
        // Backing up into a directory that holds a store is refused.
        expectOneLineFailure(try runLedger(["backup", backup, "--store", store]), mentioning: ["already holds"])

        // The store moves on; then the backup is restored over it.
        let more = try runLedger(["demo", "--cases", "40", "--replace", "--store", store])
        #expect(more.status == 0, "\(more)")
        let caseBefore = try runLedger(["case", pristine.caseNumber, "--store", store])
        let restored = try runLedger(["restore", backup, "--store", store])
        #expect(restored.status == 0, "\(restored)")
        #expect(try runLedger(["digest", "--store", store]).output.contains(digest))
        // The views were built on the replaced log: the first reader rebuilds them, in one line each.
        let caseAfter = try runLedger(["case", pristine.caseNumber, "--store", store])
        #expect(caseAfter.status == 0, "\(caseAfter)")
        #expect(caseAfter.stderr.contains("rebuilding it from the log"), "\(caseAfter)")
        let caseInPristine = try runLedger(["case", pristine.caseNumber, "--store", pristine.directory])
        #expect(caseAfter.output == caseInPristine.output)
        _ = caseBefore
        let status = try runLedger(["project", "status", "--store", store])
        #expect(status.status == 0 && !status.output.contains("rebuild pending"), "\(status)")
    }
}

@Suite("Careless use: explicit choices, views, concurrent rebuilds", .serialized)
struct CarelessUseTests {
    @Test("--seeds and LEDGER_SEEDS are authoritative: a missing directory or a file is an error, not the built-in seeds")
    func explicitSeeds() throws {
        let pristine = try PristineStore.shared.get()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-seeds-\(UUID().uuidString.prefix(8))").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        for seeds in ["/nonexistent/seeds", file] {
            expectOneLineFailure(try runLedger(["case", pristine.caseNumber, "--seeds", seeds, "--store", pristine.directory]),
                                 mentioning: ["--seeds"])
            var environment = ProcessInfo.processInfo.environment
            environment["LEDGER_SEEDS"] = seeds
            expectOneLineFailure(try runLedger(["case", pristine.caseNumber, "--store", pristine.directory], environment: environment),
                                 mentioning: ["LEDGER_SEEDS"])
        }
    }

    @Test("views whose file is damaged are rebuilt from the log, said in one note, and answer as before")
    func damagedViewsAreRebuilt() throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("views")
        defer { try? FileManager.default.removeItem(atPath: store) }
        let expected = try runLedger(["report", "evaluations", "--store", pristine.directory])
        let handle = try #require(FileHandle(forWritingAtPath: store + "/views/data.mdb"))
        try handle.truncate(atOffset: 12_288)
        try handle.close()
        let run = try runLedger(["report", "evaluations", "--store", store])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("note: the views are damaged"), "\(run)")
        #expect(run.output == expected.output)
    }

    @Test("two `project rebuild --all` at once are serialised: both succeed and the views end rebuilt, none pending")
    func concurrentRebuilds() throws {
        let pristine = try PristineStore.shared.get()
        let store = try pristine.copy("rebuilds")
        defer { try? FileManager.default.removeItem(atPath: store) }
        let runs = [0, 1].map { _ in Result<LedgerRun, any Error>?.none }
        let results = Mutex(runs)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let run = Result { try runLedger(["project", "rebuild", "--all", "--store", store]) }
            results.withLock { $0[i] = run }
        }
        for result in results.withLock({ $0 }) {
            let run = try #require(result).get()
            #expect(run.status == 0 && run.output.hasPrefix("rebuilt"), "\(run)")
        }
        let status = try runLedger(["project", "status", "--store", store])
        #expect(status.status == 0, "\(status)")
        #expect(!status.output.contains("pending") && !status.output.contains("generation 3 at"), "\(status.output)")
        let report = try runLedger(["report", "gold-windows", "--store", store])
        #expect(report.output == (try runLedger(["report", "gold-windows", "--store", pristine.directory])).output)
    }
}

@Suite("A failed command that would have created a store leaves nothing behind")
struct FailedCreationTests {
    @Test("an import that fails into a missing parent removes the directories it made; one that succeeds keeps them")
    func failedImportLeavesNothing() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-parent-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let bad = parent + "-bad.jsonl"
        _ = FileManager.default.createFile(atPath: bad, contents: Data("{\"case\":\"X-1\"}\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let failed = try runLedger(["import", bad, "--store", parent + "/a/b"])
        expectOneLineFailure(failed)
        #expect(!FileManager.default.fileExists(atPath: parent), "\(failed)")
    }
}

@Suite("An empty store")
struct EmptyStoreTests {
    @Test("verify on an empty store says the log is empty (before: \"seq 1…0\")")
    func verifyEmptyStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-empty-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let made = try runLedger(["import", "/dev/null", "--store", folder])
        #expect(made.status == 0, "\(made)")
        let run = try runLedger(["verify", "--store", folder])
        #expect(run.status == 0 && run.output.hasPrefix("intact: the log is empty (0 events)"), "\(run)")
        #expect(!run.output.contains("1…0"), "\(run)")
        expectOneLineFailure(try runLedger(["verify", "--from", "2", "--store", folder]), mentioning: ["it is empty"])
    }
}
