import CaseDomain
import Foundation
import Ledger
import Simulator
import Testing

@Suite("Simulated events obey the case rules")
struct CaseRulesConformanceTests {
    /// Folds every event of a run through `CaseRules.admit`, returning the problems found (at most 20).
    private func check(_ config: SimulationConfig) throws -> (problems: [String], summary: SimulationSummary, cases: Int) {
        let seeds = try SimulatorFixtures.seeds()
        let calendar = try SimulatorFixtures.calendar()
        // The hall's rules too: windows from the seed, and the 首席服务员's grants in force from
        // the year's start, as the demo records them.
        var catalog = Catalog()
        let yearStart = Timestamp(startOf: try CivilDate(year: config.year, month: 1, day: 1))
        for item in seeds.catalog { catalog.apply(.itemPublished(item), at: yearStart) }
        var grants = GrantBook()
        for grant in seeds.chiefClerks.grants { grants.apply(grant, at: yearStart, actor: seeds.chiefClerks.grantedBy) }
        let rules = CaseRules(catalog: catalog, calendar: calendar, hall: HallRoster(windows: seeds.windows), grants: grants)
        let loaded = try #require(calendar.years)
        var files: [CaseNumber: CaseFile] = [:]
        var problems: [String] = []
        var previous: Timestamp?
        func note(_ problem: String) { if problems.count < 20 { problems.append(problem) } }
        let pattern = try Regex("^LZH-\(config.year)-[0-9]{6}$")
        let summary = try SimulatorFixtures.simulator(config).run { event in
            if let previous, event.at < previous { note("\(event.caseNumber) \(event.data.type) at \(event.at) before \(previous)") }
            previous = event.at
            if !loaded.contains(CivilDate(instantMilliseconds: event.at.milliseconds).year) { note("\(event.at) outside the calendar") }
            if event.caseNumber.rawValue.wholeMatch(of: pattern) == nil { note("bad case number \(event.caseNumber)") }
            if event.actor.isEmpty { note("\(event.caseNumber) \(event.data.type) has no actor") }
            if case .submitted(let s) = event.data, s.applicant.ref.wholeMatch(of: /^[PE]-[0-9a-f]{12}$/) == nil {
                note("applicant ref \(s.applicant.ref) is not a pseudonym")
            }
            var file = files[event.caseNumber] ?? CaseFile(caseNumber: event.caseNumber)
            do {
                let admitted = try rules.admit(event.data, at: event.at, by: event.actor, to: file)
                if admitted != event.data { note("\(event.caseNumber) \(event.data.type) is not in its complete form") }
                file.apply(admitted, at: event.at)
            } catch {
                note("\(error)")
            }
            files[event.caseNumber] = file
        }
        return (problems, summary, files.count)
    }

    @Test("every event of a few thousand cases passes CaseRules.admit in order, times never go back")
    func everyEventAdmitted() throws {
        let (problems, summary, cases) = try check(SimulationConfig(seed: 11, cases: 4_000))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(cases == 4_000)
        #expect(summary.cases == 4_000)
        #expect(summary.stoppedAtCalendarEnd == 0)
        // Some cases were accepted by a 首席服务员 under a grant, and passed the rule above.
        #expect(summary.acceptedUnderGrant > 0)
    }

    @Test("the last loaded year: timelines stop at the calendar's end, nothing is dated after it")
    func stopsAtCalendarEnd() throws {
        let (problems, summary, _) = try check(SimulationConfig(year: 2026, seed: 3, cases: 3_000))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(summary.stoppedAtCalendarEnd > 0)
        let last = try #require(summary.lastEventAt)
        #expect(CivilDate(instantMilliseconds: last.milliseconds) <= (try CivilDate(year: 2026, month: 12, day: 31)))
    }

    @Test("case numbers have 6 digits, 7 beyond 999,999 cases")
    func caseNumbers() {
        #expect(DistrictSimulator.caseNumber(year: 2023, serial: 1, of: 50_000).rawValue == "LZH-2023-000001")
        #expect(DistrictSimulator.caseNumber(year: 2023, serial: 999_999, of: 999_999).rawValue == "LZH-2023-999999")
        #expect(DistrictSimulator.caseNumber(year: 2024, serial: 12, of: 1_000_000).rawValue == "LZH-2024-0000012")
    }
}
