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
    /// Completions: decisions and withdrawals after 受理 (the volume).
    public var completed: Int
    /// Withdrawn by the applicant after 受理: in `completed`, not in the on-time rate or compression.
    public var withdrawn: Int
    /// Approved or denied: `completed − withdrawn`.
    public var decided: Int
    public var onTime: Int
    public var overdue: Int
    @Nullable public var onTimeRate: Double?
    public var immediate: Int
    @Nullable public var immediateShare: Double?
    @Nullable public var averageEffectiveDays: Double?
    /// Σ effective days of every decided case, and of those with a legal limit; Σ legal days of every decided case.
    public var effectiveDays: Int
    public var effectiveDaysWithLegalLimit: Int
    public var legalDays: Int
    @Nullable public var actualCompression: Double?
    /// Of the catalog items in this row (level, department, item rows and the total).
    @Nullable public var catalogCompression: Double?
    public var extended: Int
    public var suspended: Int
    /// Approved (准予); those with a certificate; electronic ones; entered into the certificate library (电子证照入库).
    public var approved: Int
    public var certificates: Int
    public var electronicCertificates: Int
    public var certificatesInLibrary: Int

    init(key: String, label: String, counters c: [Int64], catalogCompression: Double?) {
        func v(_ counter: ProcessingCounter) -> Int64 { c[counter.rawValue] }
        self.key = key
        self.label = label
        let decided = v(.completed) - v(.withdrawn)
        completed = Int(v(.completed))
        withdrawn = Int(v(.withdrawn))
        self.decided = Int(decided)
        onTime = Int(v(.onTime))
        overdue = Int(decided - v(.onTime))
        onTimeRate = ratio(v(.onTime), decided)
        immediate = Int(v(.immediate))
        immediateShare = ratio(v(.immediate), v(.completed))
        averageEffectiveDays = ratio(v(.effectiveDays), decided)
        effectiveDays = Int(v(.effectiveDays))
        effectiveDaysWithLegalLimit = Int(v(.legalEffectiveDays))
        legalDays = Int(v(.legalDays))
        actualCompression = ratio(v(.effectiveDays), v(.legalDays)).map { 1 - $0 }
        self.catalogCompression = catalogCompression
        extended = Int(v(.extended))
        suspended = Int(v(.suspended))
        approved = Int(v(.approved))
        certificates = Int(v(.certificates))
        electronicCertificates = Int(v(.electronicCertificates))
        certificatesInLibrary = Int(v(.certificatesInLibrary))
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
        completed = accepted cases approved, denied, or withdrawn after acceptance, counted once, in the quarter of that date; decided = approved + denied = completed − withdrawn (a withdrawal is the applicant's choice)
        deadline = the promised limit + extension in working days after the acceptance date, moved later by each suspended working day (S < D ≤ R)
        onTime = decided with decision date ≤ deadline; overdue = decided − onTime; onTimeRate = onTime / decided
        immediateShare = completed with promisedDays 0 (即办件) / completed
        averageEffectiveDays = Σ effective working days / decided (effective = working days D with accepted < D ≤ decided, minus suspended ones)
        actualCompression = 1 − Σ effective days / Σ legal days, over every decided case (items with legalDays 0 add their days, no legal days)
        catalogCompression = 1 − Σ promisedDays / Σ legalDays, over the catalog's items with legalDays > 0
        approved, certificates (approved with one), electronicCertificates, certificatesInLibrary (电子证照入库: entered into the certificate library when issued)
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

