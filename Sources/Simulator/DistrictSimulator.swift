import CaseDomain
import Ledger

/// A deterministic, realistic year of a district service hall: cases arrive day by day, each
/// case's whole timeline is drawn when it arrives, and events come out in global time order.
///
/// ```swift
/// let simulator = DistrictSimulator(seeds: seeds, calendar: calendar, config: SimulationConfig(cases: 3_000))
/// let summary = try simulator.run { event in try store.append(event) }
/// ```
///
/// Memory stays bounded by the events still in the future (a min-heap keyed by time and
/// scheduling order), not by the number of cases. Every event passes `CaseRules.admit` in
/// order, is dated within the calendar's loaded years (a case that would run past them stops
/// there, still open), and the same seed gives byte-identical output.
public struct DistrictSimulator: Sendable {
    /// Cases in the default district year.
    public static let defaultCases = 50_000
    /// The most cases one run may number (`LZH-YYYY-NNNNNNN`).
    public static let maxCases = 9_999_999

    public let seeds: DistrictSeeds
    public let calendar: WorkCalendar
    public let config: SimulationConfig

    public init(seeds: DistrictSeeds, calendar: WorkCalendar, config: SimulationConfig = SimulationConfig()) {
        self.seeds = seeds
        self.calendar = calendar
        self.config = config
    }

    /// The number of cases the run submits.
    public var caseCount: Int { config.cases ?? Self.defaultCases }

    /// The number of the `serial`-th case (from 1) of a run of `total` cases: `LZH-2023-000001`,
    /// with 7 digits when `total` exceeds 999,999.
    public static func caseNumber(year: Int, serial: Int, of total: Int) -> CaseNumber {
        let digits = String(serial)
        let width = total > 999_999 ? 7 : 6
        let text = "LZH-\(year)-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
        // ASCII without spaces and at most 20 characters: always a valid case number.
        return (try? CaseNumber(text)) ?? CaseNumber.catalog
    }

    /// Runs the year, handing each event to `emit` in order of `at` (ties in a fixed order).
    /// - Throws: `SimulationError` before the first event when the year or seeds do not allow a
    ///   run; otherwise whatever `emit` throws, which stops the run.
    public func run(_ emit: (SimulatedEvent) throws -> Void) throws -> SimulationSummary {
        let run = try start()
        while let event = run.next() { try emit(event) }
        return run.summary
    }

    /// Starts a run to pull events from one at a time (`next()`), in order.
    /// - Throws: `SimulationError` when the year has no calendar loaded, `cases` is out of
    ///   range, or the seeds hold no windows or no item with demand.
    public func start() throws(SimulationError) -> SimulationRun {
        guard let loaded = calendar.years, loaded.contains(config.year) else { throw .yearNotLoaded(config.year) }
        guard (0 ... Self.maxCases).contains(caseCount) else { throw .invalidCaseCount(caseCount) }
        guard !seeds.windows.isEmpty else { throw .emptySeeds("no windows") }
        guard seeds.catalog.contains(where: { seeds.demand.weight(of: $0) > 0 }) else {
            throw .emptySeeds("no item with positive demand")
        }
        return SimulationRun(self)
    }
}

/// How a case must end so the report's exact figures hold.
enum CaseFate {
    /// Left to chance.
    case free
    /// Counts toward a reported figure: done (approved), and cross-region where the figure is.
    case reported
    /// A case of the industry-licence item beyond the reported 240: not approved.
    case notApproved
}

/// One arrival drawn for a day, before its case number is given.
struct Arrival {
    var at: Int64
    /// Draw order within the day, to sort ties deterministically.
    var order: Int
    var item: Int
    var channel: Channel
    var fate: CaseFate
    var eCertificates: Int
    /// Approved with an electronic certificate entered into the certificate library (电子证照入库).
    var entersLibrary: Bool
    /// The 一件事一次办 theme named at submission, one of the item's.
    var theme: String?

    /// The case must end approved within the year: it counts toward a reported figure.
    var isReported: Bool { fate == .reported || entersLibrary }
}

/// One run of the simulated year, pulled event by event: days are simulated as the events
/// reach them, so memory holds only the future events of cases still in flight.
///
/// ```swift
/// let run = try simulator.start()
/// while let event = run.next() { … }
/// print(run.summary)
/// ```
public final class SimulationRun: IteratorProtocol, Sequence {
    let calendar: WorkCalendar
    let config: SimulationConfig
    let profiles: [ItemProfile]
    let hall: HallLayout
    let badReview: BadReviewLimits
    /// The last day the calendar knows; nothing is dated after it.
    let lastDay: CivilDate
    var queue = EventQueue()
    /// What the scheduled cases did; `summary` adds the emitted events' figures.
    var counts = SimulationSummary()

    private let days: [CivilDate]
    private let dayCounts: [Int]
    /// Days whose arrivals have been scheduled.
    private var daysSubmitted = 0
    private var events = 0
    private var firstAt: Timestamp?
    private var lastAt: Timestamp?
    /// Arrivals up to October carry the report's figures; later ones (`latePlan`) none, so every
    /// reported case is decided within the year.
    private var plan: ArrivalPlan
    private var latePlan: ArrivalPlan
    /// Index in `days` of the first day of the late plan (November 1st).
    private let lateFrom: Int
    private var planRandom: RandomSource
    private let clock: ArrivalClock
    private let workingDayChannels: WeightedChoice
    private let dayOffChannels: WeightedChoice
    private let plannedCases: Int
    private var serial = 0
    private var arrivals: [Arrival] = []

    /// `DistrictSimulator.start()` has checked the year, the case count and the seeds.
    fileprivate init(_ simulator: DistrictSimulator) {
        let config = simulator.config, seeds = simulator.seeds, calendar = simulator.calendar
        let cases = simulator.caseCount
        let loaded = calendar.years ?? config.year ... config.year
        let weights = seeds.catalog.map { seeds.demand.weight(of: $0) }

        self.calendar = calendar
        self.config = config
        let layout = HallLayout(seeds)
        hall = layout
        profiles = zip(seeds.catalog, weights).map { item, weight in
            ItemProfile(item: item, homeWindow: layout.homeWindow(of: item.department), weight: weight)
        }
        badReview = seeds.badReview
        // The years are loaded, so these dates exist.
        let january1 = (try? CivilDate(year: config.year, month: 1, day: 1)) ?? CivilDate(dayNumber: 0)
        let december31 = (try? CivilDate(year: config.year, month: 12, day: 31)) ?? january1
        lastDay = (try? CivilDate(year: loaded.upperBound, month: 12, day: 31)) ?? december31
        days = (0 ... january1.days(to: december31)).map { january1.adding(days: $0) }
        let profile = seeds.demand.weekdayProfile
        dayCounts = ArrivalPlan.apportion(cases, weights: days.map { day in
            let working = (try? calendar.isWorkingDay(day)) ?? false
            switch (working, day.isWeekend) {
            case (true, false): return profile[day.weekday - 1]
            case (true, true): return 1.0  // 调休上班: a full working day
            case (false, true): return profile[day.weekday - 1]
            case (false, false): return profile[6]  // a holiday on a weekday: online only, like a Sunday
            }
        })
        let november1 = (try? CivilDate(year: config.year, month: 11, day: 1)) ?? december31
        lateFrom = Swift.min(days.count, january1.days(to: november1))
        let early = dayCounts[..<lateFrom].reduce(0, +)
        let scale = Double(cases) / Double(DistrictSimulator.defaultCases)
        plan = ArrivalPlan(profiles: profiles, weights: weights, cases: early, reportedScale: scale)
        latePlan = ArrivalPlan(profiles: profiles, weights: weights, cases: cases - early, reportedScale: nil)
        planRandom = RandomSource(seed: config.seed)
        clock = ArrivalClock(hallHourProfile: seeds.demand.hourProfile)
        let shares = Channel.allCases.map { seeds.demand.channels[$0] ?? 0 }
        workingDayChannels = WeightedChoice(shares.contains { $0 > 0 } ? shares : Channel.allCases.map { $0 == .window ? 1 : 0 })
        // On days off the hall is closed: only online submissions and the 24-hour self-service area.
        let offShares = zip(Channel.allCases, shares).map { channel, share in channel == .window || channel == .courier ? 0 : share }
        dayOffChannels = WeightedChoice(offShares.contains { $0 > 0 } ? offShares : Channel.allCases.map { $0 == .mobile ? 1 : 0 })
        plannedCases = cases
    }

    /// The next event in time order, or nil when the run is over.
    public func next() -> SimulatedEvent? {
        while true {
            if daysSubmitted > 0, daysSubmitted <= days.count, let earliest = queue.earliest {
                let endOfDay = HallClock.instant(days[daysSubmitted - 1].adding(days: 1), second: 0)
                if earliest < endOfDay || daysSubmitted == days.count { return take() }
            }
            guard daysSubmitted < days.count else { return take() }
            if daysSubmitted < lateFrom {
                submitArrivals(on: days[daysSubmitted], count: dayCounts[daysSubmitted], plan: &plan)
            } else {
                submitArrivals(on: days[daysSubmitted], count: dayCounts[daysSubmitted], plan: &latePlan)
            }
            daysSubmitted += 1
        }
    }

    /// The figures so far; complete once `next()` has returned nil.
    public var summary: SimulationSummary {
        var summary = counts
        summary.events = events
        summary.firstEventAt = firstAt
        summary.lastEventAt = lastAt
        return summary
    }

    private func take() -> SimulatedEvent? {
        guard let event = queue.pop() else { return nil }
        events += 1
        if firstAt == nil { firstAt = event.at }
        lastAt = event.at
        return event
    }

    /// Draws the day's arrivals, numbers them in time order, and schedules each case's timeline.
    private func submitArrivals(on day: CivilDate, count: Int, plan: inout ArrivalPlan) {
        guard count > 0 else { return }
        let working = isWorking(day) ?? false
        arrivals.removeAll(keepingCapacity: true)
        for order in 0 ..< count {
            let item = plan.drawItem(&planRandom)
            let fate: CaseFate = switch profiles[item].reported {
            case .none: .free
            case .passwordReset, .wuhanTong: plan.takesQuota(item, &planRandom) ? .reported : .free
            case .industryLicence: plan.takesQuota(item, &planRandom) ? .reported : .notApproved
            }
            let entersLibrary = plan.entersLibrary(item, &planRandom)
            let eCertificates = plan.eCertificates(&planRandom)
            let channel = Channel.allCases[(working ? workingDayChannels : dayOffChannels).pick(&planRandom)]
            let second = channel == .window || channel == .courier ? clock.hallSecond(&planRandom) : clock.onlineSecond(&planRandom)
            let themes = profiles[item].item.themes
            let theme = !themes.isEmpty && planRandom.chance(Self.themeShare) ? themes[planRandom.below(themes.count)] : nil
            arrivals.append(Arrival(at: HallClock.instant(day, second: second), order: order, item: item,
                                    channel: channel, fate: fate, eCertificates: eCertificates,
                                    entersLibrary: entersLibrary, theme: theme))
        }
        arrivals.sort { $0.at != $1.at ? $0.at < $1.at : $0.order < $1.order }
        for arrival in arrivals {
            serial += 1
            var script = CaseScript(year: self, number: caseNumber(serial), arrival: arrival,
                                    random: RandomSource(seed: config.seed, stream: UInt64(serial)))
            script.play()
        }
    }

    /// Of the applications for an item that belongs to 一件事 themes, the share made as part of one
    /// (synthetic: the report names the 60 themes, not their volume).
    static let themeShare = 0.4

    private func caseNumber(_ serial: Int) -> CaseNumber {
        DistrictSimulator.caseNumber(year: config.year, serial: serial, of: plannedCases)
    }

    // MARK: - Calendar questions; nil past the loaded years

    func isWorking(_ day: CivilDate) -> Bool? { try? calendar.isWorkingDay(day) }

    /// The `n`-th working day after `day` (`day` itself for 0).
    func workingDay(after day: CivilDate, _ n: Int) -> CivilDate? {
        try? calendar.deadline(acceptedOn: day, workingDays: n)
    }

    /// `day` if it is a working day, else the next one.
    func workingDay(onOrAfter day: CivilDate) -> CivilDate? {
        guard let working = isWorking(day) else { return nil }
        return working ? day : workingDay(after: day, 1)
    }
}
