import CaseDomain
import DomainTestSupport
import Ledger
import ProjectionKit
import Testing
@testable import CaseStateProjection

/// One case through its whole life, the view caught up after every step; then the same case
/// replayed as of each of those moments gives the states the view gave at the time.
@Suite("CaseState: lifecycle and as-of replay")
struct LifecycleTests {
    /// Submitted Thu 6/1, supplement requested and received, accepted Fri 6/2 (3 days: 6/5,
    /// 6/6, 6/7), suspended Mon 6/5, resumed Tue 6/6 (6/6 suspended → deadline 6/8), approved
    /// Thu 6/8, delivered, visited and reviewed on Fri 6/9.
    static let steps: [(EventData, String, CaseStatus)] = [
        (.submitted(Submission(item: "T-3", channel: .window, applicant: Applicant(kind: .enterprise, ref: "E-1"))),
         "2023-06-01T09:00:00+08:00", .submitted),
        (.supplementRequested(materials: ["营业执照"]), "2023-06-01T09:30:00+08:00", .awaitingSupplement),
        (.supplementReceived, "2023-06-02T09:00:00+08:00", .submitted),
        (accepted("T-3", at: "W03"),
         "2023-06-02T10:00:00+08:00", .processing),
        (.suspended(procedure: .appraisal, reason: "鉴定"), "2023-06-05T10:00:00+08:00", .suspended),
        (.resumed, "2023-06-06T16:00:00+08:00", .processing),
        (.approved(certificate: Certificate(number: "Z-9", electronic: true)), "2023-06-08T11:00:00+08:00", .approved),
        (.delivered(method: .window), "2023-06-09T09:00:00+08:00", .delivered),
        (.visited, "2023-06-09T09:01:00+08:00", .delivered),
        (.evaluated(Evaluation(level: 2, channel: .hallTablet)), "2023-06-09T09:02:00+08:00", .delivered),
    ]

    @Test func statusTransitionsIndexesAndAsOfReplay() async throws {
        let hall = try await Hall()
        let runner = try hall.runner()
        let queries = try CaseStateQueries(runner)
        let number = caseNo("L-1")
        var live: [CaseStateReport] = []
        for (data, time, status) in Self.steps {
            try await hall.ledger.record(asClerkGivesIt(data), to: number, at: at(time), actor: "clerk-11")
            try runner.catchUp()
            let today = CivilDate(instantMilliseconds: at(time).milliseconds)
            let state = try #require(try queries.state(of: number, today: today))
            #expect(state.status == status, "\(time)")
            let (queue, pending, counts) = try queries.read { view in
                (try view.queue(window: "W03", today: today).numbers, try view.awaitingAcceptance(), try view.openCounts())
            }
            // Where the case is indexed follows its status.
            switch status {
            case .submitted, .awaitingSupplement:
                #expect(pending == [number] && queue.isEmpty && counts == (0, 0, 1), "\(time)")
            case .processing:
                #expect(pending.isEmpty && queue == ["L-1"] && counts == (1, 0, 0), "\(time)")
            case .suspended:
                #expect(pending.isEmpty && queue == ["L-1"] && counts == (0, 1, 0), "\(time)")
            default:
                #expect(pending.isEmpty && queue.isEmpty && counts == (0, 0, 0), "\(time)")
            }
            live.append(state)
        }
        // Accepted: deadline 6/7, nothing used yet. Suspended on 6/5 (as of 6/5 nothing suspended
        // yet): 6/7. Resumed 6/6: 6/6 was suspended → 6/8; used: 6/5. Approved 6/8: on time,
        // used 6/5, 6/7, 6/8 = 3.
        #expect(live[3].deadline == cst("2023-06-07") && live[3].effectiveWorkingDays == 0 && live[3].remainingWorkingDays == 3)
        #expect(live[4].deadline == cst("2023-06-07") && live[4].effectiveWorkingDays == 1 && live[4].suspended)
        #expect(live[5].deadline == cst("2023-06-08") && live[5].effectiveWorkingDays == 1 && live[5].remainingWorkingDays == 2)
        #expect(live[6].deadline == cst("2023-06-08") && live[6].effectiveWorkingDays == 3 && live[6].onTime == true)
        #expect(live[9].visits == 1 && live[9].evaluation == 2)
        #expect(live[2].deadline == nil && live[2].item == "T-3" && live[2].window == nil && live[2].onTime == nil)

        // As of each moment (and a minute later), the replay gives what the view gave then.
        for (i, (_, time, _)) in Self.steps.enumerated() {
            #expect(try queries.state(of: number, asOf: at(time)) == live[i], "\(time)")
            let later = Timestamp(milliseconds: at(time).milliseconds + 60_000)
            if i + 1 < Self.steps.count, at(Self.steps[i + 1].1) > later {
                #expect(try queries.state(of: number, asOf: later) == live[i], "\(time) + 1 min")
            }
        }
        #expect(try queries.state(of: number, asOf: at("2023-06-01T08:59:59+08:00")) == nil)
        // As of the end of a later day the counts run to that day: resumed 6/6 16:00, as of 6/7
        // 23:59 → used 6/5, 6/7; deadline still 6/8, due on the next working day.
        let then = try #require(try queries.state(of: number, asOf: at("2023-06-07T23:59:59.999+08:00")))
        #expect(then.status == .processing && then.effectiveWorkingDays == 2 && then.warning == .yellow)
    }
}

@Suite("CaseState: reopening")
struct ReopenTests {
    /// A new runner over views that are already caught up (nothing to apply, so no database
    /// handle opened yet) answers at once — what every CLI command does.
    @Test func freshRunnerOverCaughtUpViews() async throws {
        let hall = try await Hall()
        try await hall.open("H-1", "T-3", window: "W01", "2023-06-12")
        try hall.runner().catchUp()
        let queries = try CaseStateQueries(try hall.runner())
        try queries.runner.catchUp()
        #expect(try queries.queue(window: "W01", today: cst("2023-06-12")).numbers == ["H-1"])
        #expect(try queries.overdue(today: cst("2023-06-16")).numbers == ["H-1"])
    }
}
