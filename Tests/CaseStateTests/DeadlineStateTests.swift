import CaseDomain
import DomainTestSupport
import Ledger
import Testing
@testable import CaseStateProjection

/// Deadlines, working days used and left, warnings and on-time status of single cases, checked
/// against values worked out by hand on the 2023 calendar (Docs/DOMAIN.md §Time limits).
@Suite("CaseState: deadlines and day counts")
struct DeadlineStateTests {
    /// The worked example of Docs/DOMAIN.md §Time limits: accepted Thu 2023-09-28, limit 3. 9/29–10/6 are holidays,
    /// Sat 10/7 and Sun 10/8 are adjusted working days → deadline Mon 2023-10-09.
    @Test func nationalDayExampleCountsDownThroughTheHoliday() async throws {
        let hall = try await Hall()
        try await hall.open("A-1", "T-3", window: "W01", "2023-09-28")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()

        // (today, used, left, warning): used = working days D with 9/28 < D ≤ today.
        let expected: [(String, Int, Int, DeadlineWarning)] = [
            ("2023-09-28", 0, 3, .none),
            ("2023-10-03", 0, 3, .none),   // in the holiday: nothing counted yet
            ("2023-10-07", 1, 2, .none),   // Sat, worked
            ("2023-10-08", 2, 1, .yellow), // Sun, worked: due on the next working day
            ("2023-10-09", 3, 0, .yellow), // due today
            ("2023-10-10", 4, -1, .red),   // one working day past the limit
        ]
        for (day, used, left, warning) in expected {
            let state = try #require(try queries.state(of: caseNo("A-1"), today: cst(day)))
            #expect(state.deadline == cst("2023-10-09"), "\(day)")
            #expect(state.effectiveWorkingDays == used, "\(day)")
            #expect(state.remainingWorkingDays == left, "\(day)")
            #expect(state.warning == warning, "\(day)")
            #expect(state.overdue == (warning == .red), "\(day)")
            #expect(state.onTime == nil)
        }
        let state = try #require(try queries.state(of: caseNo("A-1"), today: cst("2023-10-09")))
        #expect(state.status == .processing)
        #expect(state.item == "T-3")
        #expect(state.window == "W01")
        #expect(state.acceptedAt == at("2023-09-28T10:00:00+08:00"))
        #expect(state.promisedDays == 3 && state.legalDays == 20 && state.extensionDays == 0)
        #expect(state.suspended == false)
    }

    /// Docs/DOMAIN.md §Time limits: accepted Fri 2023-01-20, limit 5; 1/21–1/27 off; 1/28 (Sat), 1/29 (Sun),
    /// 1/30, 1/31, 2/1 → deadline Wed 2023-02-01.
    @Test func springFestivalExample() async throws {
        let hall = try await Hall()
        try await hall.open("A-2", "T-5", window: "W01", "2023-01-20")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let state = try #require(try queries.state(of: caseNo("A-2"), today: cst("2023-01-29")))
        #expect(state.deadline == cst("2023-02-01"))
        #expect(state.effectiveWorkingDays == 2)  // 1/28, 1/29
        #expect(state.remainingWorkingDays == 3)  // 1/30, 1/31, 2/1
        #expect(state.warning == .none)
    }

    /// Accepted Mon 6/5 with 5 days: 6/6, 6/7, 6/8, 6/9, 6/12 → 6/12. Suspended Wed 6/7,
    /// resumed Fri 6/9: working days D with 6/7 < D ≤ 6/9 are 6/8 and 6/9, so the deadline
    /// moves two working days to Wed 6/14. Extended by 3 on 6/13 → 6/15, 6/16, 6/19.
    @Test func suspensionAndExtensionMoveTheDeadline() async throws {
        let hall = try await Hall()
        let runner = try hall.runner()
        let queries = try CaseStateQueries(runner)
        try await hall.open("B-1", "T-5", window: "W02", "2023-06-05")
        try await hall.record("B-1", .suspended(procedure: .expertReview, reason: "专家评审"), "2023-06-07")
        try runner.catchUp()

        // While suspended, the deadline is the one if the case resumed today: as of Thu 6/8
        // one working day (6/8) is suspended → 6/13; used: 6/6, 6/7 (6/8 suspended); left: 6/9, 6/12, 6/13.
        var state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-08")))
        #expect(state.status == .suspended && state.suspended)
        #expect(state.deadline == cst("2023-06-13"))
        #expect(state.effectiveWorkingDays == 2)
        #expect(state.remainingWorkingDays == 3)
        #expect(state.warning == .none)
        // The clock stays stopped: as of Sat 6/10 nothing more is counted, the deadline is 6/14.
        state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-10")))
        #expect(state.deadline == cst("2023-06-14"))
        #expect(state.effectiveWorkingDays == 2)
        #expect(state.remainingWorkingDays == 3)

        try await hall.record("B-1", .resumed, "2023-06-09")
        try runner.catchUp()
        state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-12")))
        #expect(state.status == .processing && !state.suspended)
        #expect(state.deadline == cst("2023-06-14"))
        #expect(state.effectiveWorkingDays == 3)  // 6/6, 6/7, 6/12
        #expect(state.remainingWorkingDays == 2)  // 6/13, 6/14

        try await hall.record("B-1", .extended(days: 3), "2023-06-13")
        try runner.catchUp()
        state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-13")))
        #expect(state.deadline == cst("2023-06-19"))
        #expect(state.extensionDays == 3)
        #expect(state.effectiveWorkingDays == 4)  // 6/6, 6/7, 6/12, 6/13
        #expect(state.remainingWorkingDays == 4)  // 6/14, 6/15, 6/16, 6/19
        state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-16")))
        #expect(state.warning == .yellow)  // due on Mon 6/19, the next working day

        // Approved on the deadline: on time; used 6/6–6/19 (10 working days) less 6/8, 6/9.
        try await hall.record("B-1", .approved(certificate: nil), "2023-06-19", "16:00")
        try runner.catchUp()
        state = try #require(try queries.state(of: caseNo("B-1"), today: cst("2023-06-30")))
        #expect(state.status == .approved)
        #expect(state.completedAt == at("2023-06-19T16:00:00+08:00"))
        #expect(state.deadline == cst("2023-06-19"))
        #expect(state.effectiveWorkingDays == 8)
        #expect(state.remainingWorkingDays == nil)
        #expect(state.onTime == true && state.overdue == false && state.warning == .none)
    }

    /// Accepted Tue 6/6 with 3 days → Fri 6/9; approved Mon 6/12: late by one working day.
    @Test func lateCompletionIsOverdue() async throws {
        let hall = try await Hall()
        try await hall.open("C-1", "T-3", window: "W01", "2023-06-06")
        try await hall.record("C-1", .approved(certificate: Certificate(number: "Z-1", electronic: true)), "2023-06-12")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let state = try #require(try queries.state(of: caseNo("C-1"), today: cst("2023-06-30")))
        #expect(state.deadline == cst("2023-06-09"))
        #expect(state.effectiveWorkingDays == 4)  // 6/7, 6/8, 6/9, 6/12
        #expect(state.onTime == false && state.overdue == true)
        #expect(state.warning == .none)  // closed cases carry no warning
    }

    /// 即办件 (limit 0): due on the day of acceptance.
    @Test func immediateItemIsDueTheSameDay() async throws {
        let hall = try await Hall()
        try await hall.open("D-1", "T-0", window: "W01", "2023-06-14")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        var state = try #require(try queries.state(of: caseNo("D-1"), today: cst("2023-06-14")))
        #expect(state.deadline == cst("2023-06-14"))
        #expect(state.effectiveWorkingDays == 0 && state.remainingWorkingDays == 0)
        #expect(state.warning == .yellow)
        state = try #require(try queries.state(of: caseNo("D-1"), today: cst("2023-06-15")))
        #expect(state.warning == .red && state.remainingWorkingDays == -1)
    }

    /// A case suspended after its deadline had passed stays late: the suspension does not move
    /// a deadline already behind it. Accepted Mon 6/5 (3 days → Thu 6/8), suspended Mon 6/12.
    @Test func suspendedAfterTheDeadlineStaysOverdue() async throws {
        let hall = try await Hall()
        try await hall.open("E-1", "T-3", window: "W02", "2023-06-05")
        try await hall.record("E-1", .suspended(procedure: .testing, reason: "检测"), "2023-06-12")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let state = try #require(try queries.state(of: caseNo("E-1"), today: cst("2023-06-14")))
        #expect(state.suspended)
        #expect(state.deadline == cst("2023-06-08"))
        // 6/6, 6/7, 6/8, 6/9, 6/12 count; 6/13, 6/14 are suspended → 5 used, 2 past the limit.
        #expect(state.effectiveWorkingDays == 5)
        #expect(state.remainingWorkingDays == -2)
        #expect(state.warning == .red && state.overdue)
    }

    /// A case withdrawn while suspended is completed; its open suspension ends on the withdrawal date.
    /// Accepted Mon 6/12 (5 days → 6/19), suspended 6/13, withdrawn 6/14: 6/14 suspended → 6/20.
    @Test func withdrawnWhileSuspended() async throws {
        let hall = try await Hall()
        try await hall.open("F-1", "T-5", window: "W02", "2023-06-12")
        try await hall.record("F-1", .suspended(procedure: .hearing, reason: "听证"), "2023-06-13")
        try await hall.record("F-1", .withdrawn(reason: "申请人撤回"), "2023-06-14")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        let state = try #require(try queries.state(of: caseNo("F-1"), today: cst("2023-06-30")))
        #expect(state.status == .withdrawn && !state.suspended)
        #expect(state.deadline == cst("2023-06-20"))
        #expect(state.effectiveWorkingDays == 1)  // 6/13 (6/14 suspended)
        #expect(state.onTime == true && !state.overdue)
        #expect(try queries.read { try $0.openCounts() } == (0, 0, 0))
    }

    @Test func unknownCaseAndTodayOutsideTheCalendar() async throws {
        let hall = try await Hall()
        try await hall.open("G-1", "T-3", window: "W01", "2023-06-12")
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        #expect(try queries.state(of: caseNo("NOPE-1"), today: cst("2023-06-14")) == nil)
        #expect(throws: CalendarError.yearNotLoaded(2030)) {
            try queries.state(of: caseNo("G-1"), today: cst("2030-01-02"))
        }
        #expect(throws: CalendarError.yearNotLoaded(2030)) { try queries.overdue(today: cst("2030-01-02")) }
    }
}
