import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// One row of the processing-time report: a quarter, level, department, window or item (or the
/// total). Ratios are in 0…1, nil when nothing was counted.
public struct ProcessingTimeRow: Sendable, Hashable, Codable {
    /// The dimension's value: `2023Q3`, `district`, a department, `W05`, an item code; "" for the total.
    public var key: String
    /// For people: 区级, the item's name, …
    public var label: String
    public var completed: Int
    public var onTime: Int
    public var overdue: Int
    @Nullable public var onTimeRate: Double?
    public var immediate: Int
    @Nullable public var immediateShare: Double?
    @Nullable public var averageEffectiveDays: Double?
    /// Σ effective days and Σ legal days over the completed cases with a legal limit.
    public var effectiveDaysWithLegalLimit: Int
    public var legalDays: Int
    @Nullable public var actualCompression: Double?
    /// Of the catalog items in this row (level, department, item rows and the total).
    @Nullable public var catalogCompression: Double?
    public var extended: Int
    public var suspended: Int

    init(key: String, label: String, counters c: [Int64], catalogCompression: Double?) {
        func v(_ counter: ProcessingCounter) -> Int64 { c[counter.rawValue] }
        self.key = key
        self.label = label
        completed = Int(v(.completed))
        onTime = Int(v(.onTime))
        overdue = Int(v(.completed) - v(.onTime))
        onTimeRate = ratio(v(.onTime), v(.completed))
        immediate = Int(v(.immediate))
        immediateShare = ratio(v(.immediate), v(.completed))
        averageEffectiveDays = ratio(v(.effectiveDays), v(.completed))
        effectiveDaysWithLegalLimit = Int(v(.legalEffectiveDays))
        legalDays = Int(v(.legalDays))
        actualCompression = ratio(v(.legalEffectiveDays), v(.legalDays)).map { 1 - $0 }
        self.catalogCompression = catalogCompression
        extended = Int(v(.extended))
        suspended = Int(v(.suspended))
    }
}

/// 办理时效: completions, on-time rate, overdue, 即办 share, effective days, and the two compressions.
public struct ProcessingTimeReport: Sendable, Hashable, Codable {
    /// How every figure is computed.
    public var formula: String
    /// `all`, `2023`, `2023Q3`, `Q3`.
    public var period: String
    /// What `rows` are grouped by.
    public var dimension: ReportDimension
    /// The last seq the view reflects.
    public var checkpoint: UInt64
    /// 1 − Σ promised / Σ legal over the view's catalog items with a legal limit (the period
    /// does not apply: it is the catalog in force).
    @Nullable public var catalogCompression: Double?
    @Nullable public var actualCompression: Double?
    @Nullable public var onTimeRate: Double?
    public var total: ProcessingTimeRow
    public var rows: [ProcessingTimeRow]

    public static let formula = """
        completed = accepted cases decided (approved, denied, or withdrawn after acceptance), counted once at the decision, in the quarter of its date
        deadline = the promised limit + extension in working days after the acceptance date, moved later by each suspended working day (S < D ≤ R)
        onTime = completed with decision date ≤ deadline; overdue = completed − onTime; onTimeRate = onTime / completed
        immediateShare = completed with promisedDays 0 (即办件) / completed
        averageEffectiveDays = Σ effective working days / completed (effective = working days D with accepted < D ≤ decided, minus suspended ones)
        actualCompression = 1 − Σ effective days / Σ legal days, over completed cases with legalDays > 0
        catalogCompression = 1 − Σ promisedDays / Σ legalDays, over the catalog's items with legalDays > 0
        """
}

/// One row of the convenience report. Shares are of the completed cases, in 0…1.
public struct ConvenienceRow: Sendable, Hashable, Codable {
    public var key: String
    public var label: String
    public var completed: Int
    public var atMostOneVisit: Int
    @Nullable public var atMostOneVisitShare: Double?
    public var zeroVisits: Int
    @Nullable public var zeroVisitShare: Double?
    public var fullyOnline: Int
    @Nullable public var fullyOnlineShare: Double?
    public var materialsWaived: Int
    @Nullable public var materialsWaivedShare: Double?
    public var crossRegion: Int
    @Nullable public var crossRegionShare: Double?
    public var assisted: Int
    @Nullable public var assistedShare: Double?
    @Nullable public var averageVisits: Double?

    init(key: String, label: String, counters c: [Int64]) {
        func v(_ counter: ProcessingCounter) -> Int64 { c[counter.rawValue] }
        let n = v(.completed)
        self.key = key
        self.label = label
        completed = Int(n)
        atMostOneVisit = Int(v(.atMostOneVisit))
        atMostOneVisitShare = ratio(v(.atMostOneVisit), n)
        zeroVisits = Int(v(.zeroVisits))
        zeroVisitShare = ratio(v(.zeroVisits), n)
        fullyOnline = Int(v(.fullyOnline))
        fullyOnlineShare = ratio(v(.fullyOnline), n)
        materialsWaived = Int(v(.materialsWaived))
        materialsWaivedShare = ratio(v(.materialsWaived), n)
        crossRegion = Int(v(.crossRegion))
        crossRegionShare = ratio(v(.crossRegion), n)
        assisted = Int(v(.assisted))
        assistedShare = ratio(v(.assisted), n)
        averageVisits = ratio(v(.visits), n)
    }
}

/// 便民: visits (最多跑一次, 零跑动), 全程网办, 减材料, 跨域通办, 帮办代办.
public struct ConvenienceReport: Sendable, Hashable, Codable {
    public var formula: String
    public var period: String
    public var dimension: ReportDimension
    public var checkpoint: UInt64
    public var total: ConvenienceRow
    public var rows: [ConvenienceRow]

    public static let formula = """
        completed = accepted cases decided, in the quarter of the decision (as in processing-time)
        visits = the case's visited events over its whole life, the ones after the decision included (collecting a certificate is a trip)
        atMostOneVisitShare = completed with ≤ 1 visit / completed; zeroVisitShare = completed with 0 visits / completed
        fullyOnlineShare = completed applied by pc or mobile with 0 visits / completed
        materialsWaivedShare = completed with materialsReduced > 0 / completed
        crossRegionShare = completed submitted with a cross-region partner / completed; assistedShare = completed with an assisted event / completed
        averageVisits = Σ visits / completed
        """
}

extension ProcessingTimeProjection {
    /// 办理时效 from the view, for `period`, with rows by `dimension`.
    public func report(_ reader: ViewReader, period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> ProcessingTimeReport {
        let rows = try readRows(reader, period: period, by: dimension)
        let catalog = try CatalogTable.all(from: reader.databases("catalog"), in: reader.transaction)
        let labels = ReportLabels(catalog: catalog)
        let totalCompression = CatalogCompression.of(catalog)
        let total = ProcessingTimeRow(key: "", label: "合计", counters: rows.total, catalogCompression: totalCompression)
        let byRow = rows.rollup.groups.sorted(by: labels.order(dimension)).map { key in
            ProcessingTimeRow(key: key, label: labels.label(key, dimension), counters: rows.rollup[key],
                              catalogCompression: labels.catalogCompression(key, dimension))
        }
        return ProcessingTimeReport(formula: ProcessingTimeReport.formula, period: period.description, dimension: dimension,
                                    checkpoint: reader.checkpoint, catalogCompression: totalCompression,
                                    actualCompression: total.actualCompression, onTimeRate: total.onTimeRate,
                                    total: total, rows: byRow)
    }

    /// 便民 from the view, for `period`, with rows by `dimension`.
    public func convenience(_ reader: ViewReader, period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> ConvenienceReport {
        let rows = try readRows(reader, period: period, by: dimension)
        let labels = ReportLabels(catalog: try CatalogTable.all(from: reader.databases("catalog"), in: reader.transaction))
        return ConvenienceReport(
            formula: ConvenienceReport.formula, period: period.description, dimension: dimension, checkpoint: reader.checkpoint,
            total: ConvenienceRow(key: "", label: "合计", counters: rows.total),
            rows: rows.rollup.groups.sorted(by: labels.order(dimension)).map {
                ConvenienceRow(key: $0, label: labels.label($0, dimension), counters: rows.rollup[$0])
            })
    }

    private func readRows(_ reader: ViewReader, period: ReportPeriod, by dimension: ReportDimension) throws
        -> (rollup: CounterRollup, total: [Int64]) {
        let db: Database<String, [UInt8]> = reader.databases("counters")
        let width = ProcessingCounter.width
        let rollup = try CounterRollup.read(dimension.counters, period: period, from: db, width: width, in: reader.transaction) {
            dimension == .quarter ? $0.quarter.description : $0.value
        }
        let total = try CounterRollup.read(.total, period: period, from: db, width: width, in: reader.transaction) { _ in "" }
        return (rollup, total[""])
    }
}

