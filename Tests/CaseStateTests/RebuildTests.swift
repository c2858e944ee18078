import CaseDomain
import DomainTestSupport
import LMDB
import Ledger
import ProjectionKit
import TestSupport
import Testing
@testable import CaseStateProjection

/// Determinism: catching up in many small runs (with appends in between) gives the same view,
/// byte for byte, as one run over the whole log, and as a rebuild; and the indexes match what
/// each case's own events say.
@Suite("CaseState: incremental catch-up, rebuild and index consistency")
struct RebuildTests {
    /// A seeded random spring: 60 cases (and two opened on the last day) over 2023-03-01…2023-05-31 taking random steps the case
    /// rules allow (refused steps are skipped), across four windows and three items; on the last
    /// day every other case in processing is suspended.
    static func randomSpring(_ hall: Hall, afterEachDay: (CivilDate) throws -> Void) async throws {
        var rng = SeededGenerator(seed: 20230301)
        let windows = ["W01", "W02", "W03", "W04"]
        let items = ["T-3", "T-5", "T-0"]
        var started = 0
        var day = cst("2023-03-01")
        while day <= cst("2023-05-31") {
            let iso = day.description
            if started < 60, !(day.isWeekend), Int.random(in: 0 ..< 3, using: &rng) > 0 {
                for _ in 0 ..< Int.random(in: 1 ... 3, using: &rng) where started < 60 {
                    started += 1
                    try await hall.submit(String(format: "R%03d", started), items.randomElement(using: &rng)!, iso, "08:30")
                }
            }
            for n in 1 ... max(started, 1) where started > 0 && Int.random(in: 0 ..< 3, using: &rng) == 0 {
                let number = String(format: "R%03d", n)
                let file = try hall.ledger.file(of: caseNo(number))
                let item = file.submission?.item ?? "T-3"
                let choices: [EventData] = [
                    accepted(item, at: windows.randomElement(using: &rng)!),
                    .supplementRequested(materials: ["材料"]), .supplementReceived, .rejected(reason: "不符合条件"),
                    .suspended(procedure: .testing, reason: "检测"), .resumed, .resumed, .extended(days: 2),
                    .transferred(toWindow: windows.randomElement(using: &rng)!), .visited,
                    .materialsReduced(count: 1, via: .eCertificate), .approved(certificate: nil), .approved(certificate: nil),
                    .denied(reason: "不予许可"), .withdrawn(reason: "撤回"), .delivered(method: .electronic),
                    .evaluated(Evaluation(level: Int.random(in: 1 ... 5, using: &rng), channel: .sms)),
                ]
                let hour = 9 + Int.random(in: 0 ..< 8, using: &rng)
                do {
                    try await hall.record(number, choices.randomElement(using: &rng)!, iso, String(format: "%02d:00", hour))
                } catch is RuleViolation {}
            }
            if iso == "2023-05-31" {
                // Leave cases in processing and suspended at the end.
                try await hall.open("R061", "T-5", window: "W01", iso)
                try await hall.open("R062", "T-3", window: "W03", iso)
                let processing = try (1 ... 60).map { String(format: "R%03d", $0) }
                    .filter { try hall.ledger.file(of: caseNo($0)).status == .processing }
                for number in stride(from: 0, to: processing.count, by: 2).map({ processing[$0] }) {
                    try await hall.record(number, .suspended(procedure: .quarantine, reason: "检疫"), iso, "18:00")
                }
            }
            try afterEachDay(day)
            day = day.adding(days: 1)
        }
    }

    @Test func incrementalCatchUpEqualsOneRunAndARebuild() async throws {
        let hall = try await Hall()
        // Caught up after every few days, in batches of 7 events (so batches split cases' stories).
        let incremental = try hall.runner("incremental", batchSize: 7)
        // What the view answered at the end of some days, for the look-back below.
        var then: [(CivilDate, [[CaseStateReport]])] = []
        try await Self.randomSpring(hall) { day in
            if day.dayNumber % 3 == 0 { try incremental.catchUp() }
            if day.dayNumber % 9 == 0 { then.append((day, try answers(CaseStateQueries(incremental), days: [day]))) }
        }
        try incremental.catchUp()
        let once = try hall.runner("once")
        try once.catchUp()

        let head = try hall.store.digest().seq
        #expect(head > 250)  // the spring produced a real log
        let incrementalDump = try dump(incremental)
        #expect(incrementalDump == (try dump(once)))
        #expect((incrementalDump["cases"]?.count ?? 0) == 2 * 62)

        // Rebuilding into a new generation gives the same bytes and answers.
        let before = try answers(CaseStateQueries(once))
        try once.rebuild([.caseState])
        #expect(try once.status().first?.generation == 2)
        #expect(try dump(once) == incrementalDump)
        #expect(try answers(CaseStateQueries(once)) == before)
        #expect(try answers(CaseStateQueries(incremental)) == before)

        // Replaying the log to the end of one of those days gives what the view gave then.
        #expect(then.count >= 8)
        for (day, answered) in then {
            let endOfDay = Timestamp(milliseconds: (Int64(day.dayNumber) + 1) * 86_400_000 - 8 * 3_600_000 - 1)
            let replay = try CaseStateReplay(store: hall.store, asOf: endOfDay, calendar: hall.calendar)
            #expect(replay.today == day)
            #expect(try answers(replay) == answered, "\(day)")
        }
    }

    /// The indexes hold exactly what each case's events say: rebuilt by brute force from
    /// `CaseLedger.file(of:)` of every case, and the queue of every window equals the open
    /// accepted cases at it, computed case by case.
    @Test func indexesMatchEveryCaseFile() async throws {
        let hall = try await Hall()
        let runner = try hall.runner("views", batchSize: 11)
        try await Self.randomSpring(hall) { day in
            if day.weekday == 5 { try runner.catchUp() }
        }
        try runner.catchUp()
        let calendar = hall.calendar
        let files = try (1 ... 62).map { try hall.ledger.file(of: caseNo(String(format: "R%03d", $0))) }

        var expected: [String: Set<[UInt8]>] = ["windowQueue": [], "due": [], "suspended": [], "pending": []]
        for file in files {
            let number = file.caseNumber.rawValue
            switch CaseIndexEntry(file, calendar: calendar) {
            case .none: break
            case .pending: expected["pending"]!.insert(Array(number.utf8))
            case let .running(window, deadline):
                expected["windowQueue"]!.insert(CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: number))
                expected["due"]!.insert(CaseStateKey.due(deadline: deadline, caseNumber: number))
            case let .suspended(window, deadline):
                expected["windowQueue"]!.insert(CaseStateKey.windowQueue(window: window, deadline: deadline, caseNumber: number))
                expected["suspended"]!.insert(Array(number.utf8))
            }
        }
        let views = try dump(runner)
        for (name, keys) in expected {
            let stored = stride(from: 0, to: views[name]!.count, by: 2).map { views[name]![$0] }
            #expect(Set(stored) == keys, "\(name)")
            #expect(stored.count == keys.count, "\(name)")
        }
        #expect(!expected["windowQueue"]!.isEmpty && !expected["suspended"]!.isEmpty)
        // The spring left cases in every state.
        #expect(Set(files.compactMap(\.status)) == Set(CaseStatus.allCases))
        #expect(files.contains { $0.extended } && files.contains { $0.window != $0.acceptance?.window })

        let queries = try CaseStateQueries(runner)
        for today in ["2023-05-31", "2023-06-01", "2023-06-20"].map(cst) {
            for window in ["W01", "W02", "W03", "W04"] {
                let byHand = try files.filter { $0.window == window && ($0.status == .processing || $0.status == .suspended) }
                    .map { try #require(try CaseStateReport($0, today: today, calendar: calendar)) }
                    .sorted { ($0.deadline!, $0.caseNumber) < ($1.deadline!, $1.caseNumber) }
                #expect(try queries.queue(window: window, today: today) == byHand, "\(window) \(today)")
            }
            // Every case's view state equals its state computed from its own events.
            for file in files {
                #expect(try queries.state(of: file.caseNumber, today: today)
                    == (try CaseStateReport(file, today: today, calendar: calendar)))
            }
        }
    }

    static let windows = ["W01", "W02", "W03", "W04"]

    /// The same questions of a replay, for its own day.
    func answers(_ replay: CaseStateReplay) throws -> [[CaseStateReport]] {
        var out: [[CaseStateReport]] = []
        for window in Self.windows {
            out.append(try replay.queue(window: window))
            out.append(try replay.overdue(window: window))
        }
        out.append(try replay.overdue())
        out.append(try replay.due(withinWorkingDays: 3))
        return out
    }

    /// Every query's answer for a few days, to compare views.
    func answers(_ queries: CaseStateQueries, days: [CivilDate] = ["2023-04-03", "2023-05-31"].map(cst)) throws -> [[CaseStateReport]] {
        var out: [[CaseStateReport]] = []
        for today in days {
            for window in Self.windows {
                out.append(try queries.queue(window: window, today: today))
                out.append(try queries.overdue(today: today, window: window))
            }
            out.append(try queries.overdue(today: today))
            out.append(try queries.due(withinWorkingDays: 3, today: today))
        }
        return out
    }
}
