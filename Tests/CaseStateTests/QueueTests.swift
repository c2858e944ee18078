import CaseDomain
import Ledger
import ProjectionKit
import Testing
@testable import CaseStateProjection

/// Window queues, "due within N working days" and overdue lists over a hand-built June 2023.
///
/// June 2023 working days: 1, 2, 5–9, 12–16, 19–21, 25 (Sun, worked), 26–30; 6/22–6/24 are off.
/// The cases, as of Wed 6/14 (deadline = promised working days after acceptance):
///
/// | case | story                                              | deadline (as of 6/14)      |
/// |------|----------------------------------------------------|----------------------------|
/// | C01  | W01, T-3, accepted 6/8                             | 6/13 (9, 12, 13) red       |
/// | C02  | W01, T-3, accepted 6/9                             | 6/14 yellow                |
/// | C03  | W01, T-5, accepted 6/9                             | 6/16 (12–16)               |
/// | C04  | W01, T-3, accepted 6/12                            | 6/15 yellow                |
/// | C05  | W01, T-5, accepted 6/12, suspended 6/13            | 6/19 + 1 (6/14) = 6/20     |
/// | C06  | W01 → W02 on 6/13, T-3, accepted 6/12              | 6/15 yellow                |
/// | C07  | W01, T-3, accepted 6/8, approved 6/13              | 6/13, on time — closed      |
/// | C08  | submitted 6/13, not accepted                       | —                          |
/// | C09  | W01, T-0 (即办), accepted 6/14                      | 6/14 yellow                |
/// | C10  | W02, T-3, accepted 6/5, suspended 6/12 (late)      | 6/8 red                    |
/// | C11  | submitted 6/12, supplement requested, rejected 6/13 | — closed                   |
/// | C12  | W02, T-5, accepted 6/12, suspended 6/13, withdrawn 6/14 | closed                 |
@Suite("CaseState: queues, due and overdue")
struct QueueTests {
    static let today = cst("2023-06-14")

    /// Records the stories up to 6/12 (inclusive), then the rest; `between` runs in the middle.
    static func juneHall(between: (Hall) throws -> Void = { _ in }) async throws -> Hall {
        let hall = try await Hall()
        try await hall.open("C10", "T-3", window: "W02", "2023-06-05")
        try await hall.open("C01", "T-3", window: "W01", "2023-06-08")
        try await hall.open("C07", "T-3", window: "W01", "2023-06-08")
        try await hall.open("C02", "T-3", window: "W01", "2023-06-09")
        try await hall.open("C03", "T-5", window: "W01", "2023-06-09")
        try await hall.open("C04", "T-3", window: "W01", "2023-06-12")
        try await hall.open("C05", "T-5", window: "W01", "2023-06-12")
        try await hall.open("C06", "T-3", window: "W01", "2023-06-12")
        try await hall.open("C12", "T-5", window: "W02", "2023-06-12")
        try await hall.submit("C11", "T-3", "2023-06-12")
        try await hall.record("C11", .supplementRequested(materials: ["身份证明"]), "2023-06-12", "11:00")
        try await hall.record("C10", .suspended(procedure: .inspection, reason: "现场核查"), "2023-06-12", "15:00")
        try between(hall)
        try await hall.record("C05", .suspended(procedure: .expertReview, reason: "专家评审"), "2023-06-13")
        try await hall.record("C06", .transferred(toWindow: "W02"), "2023-06-13", "11:00")
        try await hall.record("C07", .approved(certificate: nil), "2023-06-13", "15:00")
        try await hall.submit("C08", "T-5", "2023-06-13")
        try await hall.record("C11", .rejected(reason: "材料不全"), "2023-06-13")
        try await hall.record("C12", .suspended(procedure: .hearing, reason: "听证"), "2023-06-13")
        try await hall.open("C09", "T-0", window: "W01", "2023-06-14")
        try await hall.record("C12", .withdrawn(reason: "申请人撤回"), "2023-06-14", "11:00")
        return hall
    }

    @Test func windowQueueIsOrderedByDeadlineWithWarnings() async throws {
        let hall = try await Self.juneHall()
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()

        let w01 = try queries.queue(window: "W01", today: Self.today)
        #expect(w01.numbers == ["C01", "C02", "C09", "C04", "C03", "C05"])
        #expect(w01.map(\.deadline) == ["2023-06-13", "2023-06-14", "2023-06-14", "2023-06-15", "2023-06-16", "2023-06-20"].map(cst))
        #expect(w01.map(\.warning) == [.red, .yellow, .yellow, .yellow, .none, .none])
        // used so far (working days after acceptance up to 6/14, less suspended) and left.
        #expect(w01.map(\.effectiveWorkingDays) == [4, 3, 0, 2, 3, 1])
        #expect(w01.map(\.remainingWorkingDays) == [-1, 0, 0, 1, 2, 4])
        #expect(w01.map(\.suspended) == [false, false, false, false, false, true])

        let w02 = try queries.queue(window: "W02", today: Self.today)
        #expect(w02.numbers == ["C10", "C06"])
        #expect(w02.map(\.warning) == [.red, .yellow])
        #expect(w02.map(\.effectiveWorkingDays) == [5, 2])  // C10: 6/6–6/12 (6/13, 6/14 suspended)

        #expect(try queries.queue(window: "W03", today: Self.today).isEmpty)
        #expect(try queries.read { try $0.windows() } == ["W01", "W02"])
        #expect(try queries.read { try $0.awaitingAcceptance() } == [caseNo("C08")])
        #expect(try queries.read { try $0.openCounts() } == (running: 6, suspended: 2, awaitingAcceptance: 1))
    }

    /// A suspended case's deadline keeps moving while it stays suspended: as of Fri 6/16, C05 has
    /// 6/14, 6/15, 6/16 suspended → three working days after 6/19: 6/20, 6/21, then (6/22–6/24
    /// off) Sun 6/25, a worked day.
    @Test func suspendedCaseMovesWithTheDayItIsAskedAbout() async throws {
        let hall = try await Self.juneHall()
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let w01 = try queries.queue(window: "W01", today: cst("2023-06-16"))
        #expect(w01.last?.caseNumber == caseNo("C05"))
        #expect(w01.last?.deadline == cst("2023-06-25"))
        #expect(w01.last?.remainingWorkingDays == 4)
    }

    @Test func dueWithinWorkingDays() async throws {
        let hall = try await Self.juneHall()
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        // Suspended (C05) and overdue (C01, C10) cases are never "due".
        #expect(try queries.due(withinWorkingDays: 0, today: Self.today).numbers == ["C02", "C09"])
        #expect(try queries.due(withinWorkingDays: 1, today: Self.today).numbers == ["C02", "C09", "C04", "C06"])
        #expect(try queries.due(withinWorkingDays: 2, today: Self.today).numbers == ["C02", "C09", "C04", "C06", "C03"])
        #expect(try queries.due(withinWorkingDays: 1, today: Self.today, window: "W02").numbers == ["C06"])
        // From Sat 6/17 one working day ahead is Mon 6/19: nothing is due on 6/17–6/19.
        #expect(try queries.due(withinWorkingDays: 1, today: cst("2023-06-17")).isEmpty)
    }

    @Test func overdueCases() async throws {
        let hall = try await Self.juneHall()
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let late = try queries.overdue(today: Self.today)
        #expect(late.numbers == ["C10", "C01"])
        #expect(late.map(\.deadline) == [cst("2023-06-08"), cst("2023-06-13")])
        #expect(late.allSatisfy { $0.warning == .red && $0.overdue })
        #expect(try queries.overdue(today: Self.today, window: "W01").numbers == ["C01"])
        #expect(try queries.overdue(today: Self.today, window: "W02").numbers == ["C10"])
        #expect(try queries.overdue(today: Self.today, window: "W09").isEmpty)
        // On 6/13 only C10 is late (C01 is due that day).
        #expect(try queries.overdue(today: cst("2023-06-13")).numbers == ["C10"])
        // On Sat 6/17: C03 (6/16) joins; C02, C09 (6/14), C04 and C06 (6/15) too.
        #expect(try queries.overdue(today: cst("2023-06-17")).numbers == ["C10", "C01", "C02", "C09", "C04", "C06", "C03"])
    }

    /// Caught up on 6/12, then again after 6/13–6/14: the transfer moves C06 from W01's queue
    /// to W02's, the approval takes C07 out, the withdrawal takes C12 out, the rejection C11.
    @Test func transferAndCompletionMoveCasesBetweenQueues() async throws {
        var early: (w01: [String], w02: [String], pending: [CaseNumber], suspended: Int)?
        let hall = try await Self.juneHall { hall in
            let queries = try CaseStateQueries(try hall.runner())
            try queries.runner.catchUp()
            let day = cst("2023-06-12")
            early = try queries.read { view in
                (try view.queue(window: "W01", today: day).numbers, try view.queue(window: "W02", today: day).numbers,
                 try view.awaitingAcceptance(), try view.openCounts().suspended)
            }
        }
        #expect(early?.w01 == ["C01", "C07", "C02", "C04", "C06", "C03", "C05"])
        #expect(early?.w02 == ["C10", "C12"])
        #expect(early?.pending == [caseNo("C11")])
        #expect(early?.suspended == 1)

        let queries = try CaseStateQueries(try hall.runner())  // the same views: caught up incrementally
        try queries.runner.catchUp()
        #expect(try queries.queue(window: "W01", today: Self.today).numbers == ["C01", "C02", "C09", "C04", "C03", "C05"])
        #expect(try queries.queue(window: "W02", today: Self.today).numbers == ["C10", "C06"])
        let c06 = try #require(try queries.state(of: caseNo("C06"), today: Self.today))
        #expect(c06.window == "W02" && c06.deadline == cst("2023-06-15"))
        let c07 = try #require(try queries.state(of: caseNo("C07"), today: Self.today))
        #expect(c07.status == .approved && c07.onTime == true && c07.effectiveWorkingDays == 3)
        #expect(try queries.state(of: caseNo("C11"), today: Self.today)?.status == .rejected)
        #expect(try queries.state(of: caseNo("C12"), today: Self.today)?.status == .withdrawn)
        #expect(try queries.read { try $0.awaitingAcceptance() } == [caseNo("C08")])
    }
}
