/// What to simulate.
public struct SimulationConfig: Sendable, Hashable {
    /// The year whose arrivals are simulated. Cases arriving late in the year run on into the
    /// next, as far as the loaded calendar goes.
    public var year: Int
    /// The PRNG seed: the same seed gives byte-identical output.
    public var seed: UInt64
    /// Cases arriving in the year; `nil` for the default realistic district year
    /// (`DistrictSimulator.defaultCases`). The report's exact figures scale with it.
    public var cases: Int?

    public init(year: Int = 2023, seed: UInt64 = 2023, cases: Int? = nil) {
        self.year = year
        self.seed = seed
        self.cases = cases
    }
}

/// Why a simulation cannot run.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The year to simulate has no calendar loaded.
    case yearNotLoaded(Int)
    /// `cases` is negative or beyond what a case number can count.
    case invalidCaseCount(Int)
    /// The seeds hold no item with positive demand, or no windows.
    case emptySeeds(String)

    public var description: String {
        switch self {
        case .yearNotLoaded(let year): "calendar for \(year) not loaded; add seeds/calendars/\(year).json"
        case .invalidCaseCount(let n): "cannot simulate \(n) cases: give 0 to 9,999,999"
        case .emptySeeds(let what): "the seeds hold \(what)"
        }
    }
}
