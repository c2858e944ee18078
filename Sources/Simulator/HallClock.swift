import CaseDomain
import Ledger

/// Times of day in China Standard Time, as milliseconds since the Unix epoch.
enum HallClock {
    static let millisecondsPerMinute: Int64 = 60_000
    /// The hall opens at 8:30 and closes at 17:30.
    static let opens = (8 * 60 + 30) * 60
    static let closes = (17 * 60 + 30) * 60

    /// The instant `secondOfDay` seconds after midnight CST on `day`.
    @inline(__always) static func instant(_ day: CivilDate, second secondOfDay: Int) -> Int64 {
        (Int64(day.dayNumber) * 86_400 + Int64(secondOfDay) - Timestamp.chinaOffsetSeconds) * 1000
    }

    @inline(__always) static func day(of instant: Int64) -> CivilDate { CivilDate(instantMilliseconds: instant) }

    @inline(__always) static func secondOfDay(_ time: Int64) -> Int {
        Int((time - instant(day(of: time), second: 0)) / 1000)
    }

    /// The last millisecond of `day`.
    @inline(__always) static func endOfDay(_ day: CivilDate) -> Int64 { instant(day, second: 86_400) - 1 }
}

/// Arrival times within a day: counter channels follow the hall's hour profile; online
/// channels follow a day-and-evening profile and also run on days off.
struct ArrivalClock {
    private let hall: WeightedChoice
    private let online: WeightedChoice

    /// Relative online submissions per hour: some at night, most in office hours and the evening.
    static let onlineHourProfile: [Double] = [
        0.15, 0.06, 0.03, 0.02, 0.02, 0.04, 0.15, 0.45, 0.9, 1.2, 1.3, 1.2,
        0.8, 0.8, 1.1, 1.2, 1.1, 1.0, 0.9, 1.0, 1.1, 1.0, 0.7, 0.35,
    ]

    init(hallHourProfile: [Double]) {
        // Only hours the hall is open count, whatever the profile says about the rest.
        var open = hallHourProfile.enumerated().map { hour, w in (8 ... 17).contains(hour) ? max(0, w) : 0 }
        if !open.contains(where: { $0 > 0 }) { open = (0 ..< 24).map { (8 ... 17).contains($0) ? 1 : 0 } }
        hall = WeightedChoice(open)
        online = WeightedChoice(ArrivalClock.onlineHourProfile)
    }

    /// A second of the day when the hall is open (8:30–17:30).
    func hallSecond(_ rng: inout RandomSource) -> Int {
        let hour = hall.pick(&rng)
        let minute = switch hour {
        case 8: 30 + rng.below(30)
        case 17: rng.below(30)
        default: rng.below(60)
        }
        return (hour * 60 + minute) * 60 + rng.below(60)
    }

    /// A second of the day for an online upload (a supplement): 8:00–22:00.
    static func uploadSecond(_ rng: inout RandomSource) -> Int {
        8 * 3600 + rng.below(14 * 3600)
    }

    /// A second of the day for an online submission.
    func onlineSecond(_ rng: inout RandomSource) -> Int {
        online.pick(&rng) * 3600 + rng.below(3600)
    }
}
