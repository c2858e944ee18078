import Foundation
import Ledger
import Testing
import TestSupport

/// The `ledger-crash-writer` executable, built beside this test binary.
private func crashWriterPath() throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var candidates = [URL(fileURLWithPath: exe).deletingLastPathComponent()]
    // Test bundles may sit one or more levels below the products folder.
    for _ in 0 ..< 3 { candidates.append(candidates.last!.deletingLastPathComponent()) }
    for folder in candidates {
        let path = folder.appendingPathComponent("ledger-crash-writer").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw CrashTestError("ledger-crash-writer not found next to \(exe); build with --build-tests")
}

private struct CrashTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One batch the writer acknowledged: its first seq, its size and its case.
private struct Acknowledged: Hashable {
    let firstSeq: UInt64
    let count: Int
    let caseNumber: String
}


@Suite("Crash safety")
struct CrashSafetyTests {
    /// Runs the writer on `store` with 8 workers, kills it with SIGKILL `delayMs` after its first
    /// acknowledgement, and returns every batch it acknowledged (complete lines only).
    private func runAndKill(writer: String, store: String, delayMs: Int) throws -> (acknowledged: [Acknowledged], pid: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = [store, "8"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let collector = ChildOutputLines(output.fileHandleForReading)

        let started = collector.wait(timeout: 30) { !$0.isEmpty }
        if started { usleep(useconds_t(delayMs * 1000)) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard started else { throw CrashTestError("the writer acknowledged nothing within 30 s") }
        guard collector.waitForEnd(timeout: 10) else { throw CrashTestError("the writer's output never closed") }
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        let acknowledged = try collector.all.map { line -> Acknowledged in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let seq = UInt64(fields[0]), let count = Int(fields[1]) else {
                throw CrashTestError("unreadable acknowledgement \"\(line)\"")
            }
            return Acknowledged(firstSeq: seq, count: count, caseNumber: String(fields[2]))
        }
        return (acknowledged, process.processIdentifier)
    }

    @Test("SIGKILL mid-append loses no acknowledged batch and leaves no partial one (3 rounds)",
          .timeLimit(.minutes(3)))
    func killMidAppend() throws {
        let writer = try crashWriterPath()
        let directory = TemporaryDirectory("ledger-crash")
        var random = SeededGenerator(seed: 0x1ED6_E2C4_A5E5)
        var allAcknowledged: [Acknowledged] = []
        var previousHead: UInt64 = 0

        for round in 1 ... 3 {
            let delay = Int.random(in: 200 ... 800, using: &random)
            let (acknowledged, pid) = try runAndKill(writer: writer, store: directory.path, delayMs: delay)
            #expect(!acknowledged.isEmpty, "round \(round)")
            allAcknowledged += acknowledged

            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec())
            let head = try store.digest().seq
            #expect(head > previousHead, "round \(round) appended nothing")

            // Every acknowledged batch, of every round so far, is there in full, where it was acknowledged.
            for ack in allAcknowledged {
                let events = try store.events(of: LedgerFixture.stream(ack.caseNumber))
                #expect(events.count == ack.count, "\(ack.caseNumber)")
                #expect(events.map(\.seq) == (0 ..< ack.count).map { ack.firstSeq + UInt64($0) }, "\(ack.caseNumber)")
                #expect(events.map(\.version) == (0 ..< ack.count).map { UInt32($0) })
            }

            // No batch is partly present: every CRASH case holds exactly 1 + batch % 4 events on
            // consecutive seqs, acknowledged or not.
            var byCase: [String: [RecordedEvent]] = [:]
            try store.scan(from: 1) { view in
                byCase[view.stream.rawValue, default: []].append(view.recorded())
                return true
            }
            let total = byCase.values.reduce(0) { $0 + $1.count }
            #expect(total == Int(head))
            for (caseNumber, events) in byCase {
                let parts = caseNumber.split(separator: "-")
                guard parts.count == 4, parts[0] == "CRASH", let batch = Int(parts[3]) else {
                    Issue.record("unexpected case \(caseNumber)")
                    continue
                }
                #expect(events.count == 1 + batch % 4, "\(caseNumber) is partial")
                #expect(events.map(\.seq) == (0 ..< events.count).map { events[0].seq + UInt64($0) },
                        "\(caseNumber) is not contiguous")
            }
            // This round's writer appended under its own pid.
            #expect(byCase.keys.contains { $0.hasPrefix("CRASH-\(pid)-") })

            // Global seq gapless from 1, and the chain intact.
            var expected: UInt64 = 1
            try store.scan(from: 1) { view in
                #expect(view.seq == expected)
                expected += 1
                return view.seq == expected - 1
            }
            #expect(expected == head + 1)
            #expect(try store.verify().checked == head)
            previousHead = head
        }
    }
}
