import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// 办理时效 and 便民 statistics: completions counted by level, department, window, item and the
/// quarter of the decision date — on time, overdue, 即办, effective working days against the
/// legal limits (actual compression), and the convenience facts (visits, online, waived
/// materials, cross-region, assisted).
///
/// Databases: `counters` (`CounterDimension` key → `ProcessingCounter` values) and the shared
/// case tables of `StatisticsFold` (`cases`, `catalog`, `meta`). Ratios are computed when a report is
/// read (`report(_:period:by:)`, `convenience(_:period:by:)`), never stored.
///
/// Visits are counted over the case's whole life: a visit after the decision (collecting a
/// paper certificate) moves the case from "0 visits" to "≤ 1 visit", or out of "≤ 1 visit",
/// under its completion's keys — 最多跑一次 is about the whole errand.
extension ViewName {
    /// Processing times and convenience counts.
    public static let processingTime = ViewName("processingTime")
}

public struct ProcessingTimeProjection: Projection {
    public let calendar: WorkCalendar
    public init(calendar: WorkCalendar) { self.calendar = calendar }
    public var name: ViewName { .processingTime }
    public var version: Int { 2 }
    public var databases: [ViewDatabase] { StatisticsFold.databases(reviews: false) + [ViewDatabase("counters")] }

    public func apply(_ batch: EventBatch, to view: ViewWriter) throws {
        try StatisticsFold(calendar: calendar, badReview: nil).count(batch, into: view, with: Counting())
    }

    /// Turns completions into counter deltas.
    struct Counting: CountingSink {
        var deltas = CounterDeltas(width: ProcessingCounter.width)
        private var delta = Array(repeating: Int64(0), count: ProcessingCounter.width)

        mutating func completed(_ c: Completion) {
            clear()
            set(.completed, 1)
            set(.immediate, c.promisedDays == 0 ? 1 : 0)
            // A withdrawal is the applicant's choice: volume, but no on-time or compression figure.
            if c.outcome.isDecision {
                set(.onTime, c.onTime ? 1 : 0)
                set(.effectiveDays, Int64(c.effectiveDays))
                set(.legalDays, Int64(c.legalDays))
                if c.legalDays > 0 {
                    set(.legalCases, 1)
                    set(.legalEffectiveDays, Int64(c.effectiveDays))
                }
            } else {
                set(.withdrawn, 1)
            }
            if case let .approved(certificate, electronic, inLibrary) = c.outcome {
                set(.approved, 1)
                set(.certificates, certificate ? 1 : 0)
                set(.electronicCertificates, electronic ? 1 : 0)
                set(.certificatesInLibrary, inLibrary ? 1 : 0)
            }
            setConvenience(c.convenience, sign: 1)
            set(.crossRegion, c.crossRegion ? 1 : 0)
            set(.assisted, c.assisted ? 1 : 0)
            set(.extended, c.extended ? 1 : 0)
            set(.suspended, c.suspended ? 1 : 0)
            deltas.add(delta, toEveryDimensionOf: c.keys)
        }

        mutating func visitedAfterCompletion(_ keys: CaseKeys, before: ConvenienceFlags, after: ConvenienceFlags) {
            clear()
            setConvenience(after, sign: 1)
            setConvenience(before, sign: -1)
            deltas.add(delta, toEveryDimensionOf: keys)
        }

        private mutating func clear() { for i in delta.indices { delta[i] = 0 } }
        private mutating func set(_ counter: ProcessingCounter, _ value: Int64) { delta[counter.rawValue] = value }

        private mutating func setConvenience(_ f: ConvenienceFlags, sign: Int64) {
            delta[ProcessingCounter.visits.rawValue] += sign * Int64(f.visits)
            delta[ProcessingCounter.atMostOneVisit.rawValue] += f.atMostOneVisit ? sign : 0
            delta[ProcessingCounter.zeroVisits.rawValue] += f.zeroVisits ? sign : 0
            delta[ProcessingCounter.fullyOnline.rawValue] += f.fullyOnline ? sign : 0
            delta[ProcessingCounter.materialsWaived.rawValue] += f.materialsWaived ? sign : 0
        }
    }
}

/// The counters of one `processingTime` row, in stored order (new ones only at the end).
public enum ProcessingCounter: Int, CaseIterable, Sendable {
    /// Accepted cases completed (approved, denied, withdrawn after 受理).
    case completed
    /// Decided (approved or denied) on or before the deadline.
    case onTime
    /// promisedDays 0 (即办件).
    case immediate
    /// Σ effective working days of the decided cases (withdrawals left out).
    case effectiveDays
    /// Decided cases with a legal limit, Σ their effective days; Σ the legal days of every decided case.
    case legalCases, legalEffectiveDays, legalDays
    /// Visit buckets (whole case life), Σ visits.
    case atMostOneVisit, zeroVisits, fullyOnline, visits
    case materialsWaived, crossRegion, assisted
    /// Limit extended (延长审批); clock stopped at least once (特别程序).
    case extended, suspended
    /// Withdrawn by the applicant after 受理.
    case withdrawn
    /// Approved (准予); with a certificate; an electronic one; one entered into the certificate library (电子证照入库).
    case approved, certificates, electronicCertificates, certificatesInLibrary

    public static let width = allCases.count
}
