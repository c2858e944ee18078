import Foundation
import Testing
import TestSupport

/// One way a store's files get damaged.
enum Damage: CaseIterable, CustomStringConvertible {
    /// A page of the log's file overwritten with zeros (a lost disk block).
    case zeroedLogPage
    /// A page of the log's file overwritten with random bytes.
    case randomLogPage
    /// One byte of the log's file flipped (bit rot).
    case flippedLogByte
    /// The log's file cut at a page boundary.
    case truncatedLog
    /// A page of the views' file overwritten with random bytes.
    case randomViewsPage

    var description: String {
        switch self {
        case .zeroedLogPage: "zeroed log page"
        case .randomLogPage: "random log page"
        case .flippedLogByte: "flipped log byte"
        case .truncatedLog: "truncated log"
        case .randomViewsPage: "random views page"
        }
    }

    /// Applies the damage to the store at `store`; returns what was done, for the failure message.
    func apply(to store: String, using generator: inout SeededGenerator) throws -> String {
        let file = store + (self == .randomViewsPage ? "/views/data.mdb" : "/events/data.mdb")
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        let pages = size / 4096
        // Pages 0 and 1 are LMDB's meta pages; the harness damages the data pages behind them.
        let page = Int.random(in: 2 ..< max(3, pages), using: &generator)
        switch self {
        case .zeroedLogPage:
            try handle.seek(toOffset: UInt64(page * 4096))
            handle.write(Data(repeating: 0, count: 4096))
            return "\(self) \(page) of \(pages)"
        case .randomLogPage, .randomViewsPage:
            try handle.seek(toOffset: UInt64(page * 4096))
            handle.write(Data((0 ..< 4096).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }))
            return "\(self) \(page) of \(pages)"
        case .flippedLogByte:
            let offset = page * 4096 + Int.random(in: 0 ..< 4096, using: &generator)
            try handle.seek(toOffset: UInt64(offset))
            let byte = try #require(try handle.read(upToCount: 1)).first ?? 0
            try handle.seek(toOffset: UInt64(offset))
            handle.write(Data([byte ^ UInt8.random(in: 1 ... 255, using: &generator)]))
            return "\(self) at \(offset)"
        case .truncatedLog:
            let keep = Int.random(in: 0 ..< max(1, pages), using: &generator) * 4096
            try handle.truncate(atOffset: UInt64(keep))
            return "\(self) to \(keep) bytes of \(size)"
        }
    }
}

/// What a command answers on the undamaged store (stdout; `stats` without its bytes-on-disk line).
private func comparable(_ run: LedgerRun) -> String {
    run.output.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !($0.hasPrefix("bytes ") && run.arguments.first == "stats") }
        .joined(separator: "\n")
}

private final class PristineAnswers: Sendable {
    static let shared = Result { try PristineAnswers() }
    let answers: [String: String]
    private init() throws {
        let pristine = try PristineStore.shared.get()
        var answers: [String: String] = [:]
        for command in everyCommand(caseNumber: pristine.caseNumber) {
            let run = try runLedger(command + ["--store", pristine.directory])
            guard run.status == 0 else { throw HarnessError("on the undamaged store: \(run)") }
            answers[command.joined(separator: " ")] = comparable(run)
        }
        self.answers = answers
    }
}

/// The damage harness: random damage on copies of a store, every command run on each.
/// A round passes when no command ends by a signal, every failure is "Error: …" as the last
/// line of stderr (after at most "note: …" lines), and — when `verify` calls the damaged log
/// intact — every command answers exactly what it answers on the undamaged store.
///
/// The test suite runs `DAMAGE_ROUNDS` rounds (default 5, one per kind of damage) from seed
/// `DAMAGE_SEED` (default 12); `Docs/DAMAGE.md` gives the long run.
@Suite("Damage harness: random damage on copies, every command on each", .serialized)
struct DamageHarnessTests {
    @Test("no command ends by a signal, and none answers wrongly where verify says intact")
    func damageRounds() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["DAMAGE_ROUNDS"].flatMap(Int.init) ?? Damage.allCases.count
        let seed = environment["DAMAGE_SEED"].flatMap(UInt64.init) ?? 12
        let pristine = try PristineStore.shared.get()
        let answers = try PristineAnswers.shared.get().answers
        var generator = SeededGenerator(seed: seed)
        var tally: [String: Int] = [:]
        for round in 0 ..< rounds {
            let damage = Damage.allCases[round % Damage.allCases.count]
            let store = try pristine.copy("damage")
            defer { try? FileManager.default.removeItem(atPath: store) }
            let what = try damage.apply(to: store, using: &generator)
            let context = "round \(round) (seed \(seed)): \(what)"
            let verify = try runLedger(["verify", "--store", store])
            for command in everyCommand(caseNumber: pristine.caseNumber) {
                let run = command == ["verify"] ? verify : try runLedger(command + ["--store", store])
                #expect(!run.signalled, "\(context): \(run)")
                if run.status != 0 {
                    let lines = run.stderrLines
                    #expect(lines.last?.hasPrefix("Error: ") == true, "\(context): \(run)")
                    #expect(lines.dropLast().allSatisfy { $0.hasPrefix("note: ") }, "\(context): \(run)")
                } else if verify.status == 0 && damage != .randomViewsPage {
                    #expect(comparable(run) == answers[command.joined(separator: " ")],
                            "\(context): a silent wrong answer from \(run.arguments.joined(separator: " "))")
                }
            }
            tally["\(damage): verify \(verify.status == 0 ? "intact" : "named the damage")", default: 0] += 1
        }
        // Visible in the test log: what the rounds met.
        print("damage harness: \(rounds) rounds from seed \(seed): \(tally.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: "; "))")
    }
}
