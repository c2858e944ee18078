import CaseDomain
import LMDB
import Ledger
import ProjectionKit
import CaseStatistics

/// One row of the 好差评 report. Ratios in 0…1 (nil when nothing was counted); `score` in 0…10.
public struct EvaluationsRow: Sendable, Hashable, Codable {
    public var key: String
    public var label: String
    public var reviews: Int
    /// Reviews of level 1 … 5.
    public var levels: [Int]
    public var goodReviews: Int
    @Nullable public var goodReviewRate: Double?
    @Nullable public var score: Double?
    public var badReviews: Int
    public var rectifiedInTime: Int
    public var rectifiedLate: Int
    /// Bad reviews not rectified yet, and those of them past their deadline (as of the view's latest event).
    public var unrectified: Int
    public var unrectifiedOverdue: Int
    @Nullable public var rectificationRate: Double?
    public var callBacks: Int
    public var callBacksInTime: Int
    @Nullable public var callBackRate: Double?
    public var completed: Int
    public var evaluatedCompleted: Int
    @Nullable public var evaluationRate: Double?
    /// Bad reviews excluded on appeal: not in `reviews`, `levels` or any rate above.
    public var excluded: Int
    /// Each step of the 差评 loop: done on time, done late, still waiting (and past its limit).
    public var stages: [BadReviewStepTimeliness]

    init(key: String, label: String, counters c: [Int64], open: OpenBadReviewCounts, rules: HallRules) {
        func v(_ counter: EvaluationCounter) -> Int64 { c[counter.rawValue] }
        let levels = (1 ... 5).map { v(EvaluationCounter.level($0)!) }
        let reviews = levels.reduce(0, +)
        let good = levels[0] + levels[1] + levels[2]
        let bad = levels[3] + levels[4]
        let points = (1 ... 5).reduce(0.0) { $0 + Double(levels[$1 - 1]) * (rules.reviewScore["\($1)"] ?? 0) }
        self.key = key
        self.label = label
        self.reviews = Int(reviews)
        self.levels = levels.map { Int($0) }
        goodReviews = Int(good)
        goodReviewRate = ratio(good, reviews)
        score = reviews == 0 ? nil : points / Double(reviews)
        badReviews = Int(bad)
        rectifiedInTime = Int(v(.rectifiedInTime))
        rectifiedLate = Int(v(.rectifiedLate))
        unrectified = open.unrectified
        unrectifiedOverdue = open.unrectifiedOverdue
        rectificationRate = ratio(v(.rectifiedInTime), bad)
        callBacks = Int(v(.calledBack))
        callBacksInTime = Int(v(.calledBackInTime))
        callBackRate = ratio(v(.calledBackInTime), bad)
        completed = Int(v(.completed))
        evaluatedCompleted = Int(v(.evaluatedCompleted))
        evaluationRate = ratio(v(.evaluatedCompleted), v(.completed))
        excluded = Int(v(.excluded))
        func step(_ name: String, _ done: EvaluationCounter, _ inTime: EvaluationCounter, waiting: BadReviewStage?) -> BadReviewStepTimeliness {
            BadReviewStepTimeliness(step: name, onTime: Int(v(inTime)), late: Int(v(done) - v(inTime)),
                                    open: waiting.map { open.waiting[$0] ?? 0 } ?? 0,
                                    openOverdue: waiting.map { open.waitingOverdue[$0] ?? 0 } ?? 0)
        }
        stages = [
            step("callBack", .calledBack, .calledBackInTime, waiting: .awaitingCallBack),
            step("appeal", .appealed, .appealedInTime, waiting: nil),
            step("appealDecision", .appealsDecided, .appealsDecidedInTime, waiting: .underAppeal),
            BadReviewStepTimeliness(step: "rectification", onTime: Int(v(.rectifiedInTime)), late: Int(v(.rectifiedLate)),
                                    open: open.unrectified, openOverdue: open.unrectifiedOverdue),
            step("feedback", .fedBack, .fedBackInTime, waiting: .awaitingFeedback),
        ]
    }
}

/// One step of the 差评 loop in a report row: how many were done by the step's limit, after it,
/// and how many bad reviews still wait for it (and of those, how many are past the limit) as of
/// the view's latest event. The appeal is the bureau's choice: nothing waits for it.
public struct BadReviewStepTimeliness: Sendable, Hashable, Codable {
    /// `callBack`, `appeal`, `appealDecision`, `rectification` or `feedback`.
    public var step: String
    public var onTime: Int
    public var late: Int
    public var open: Int
    public var openOverdue: Int
}

/// The open bad reviews of one report row, by the step they wait for.
struct OpenBadReviewCounts {
    var unrectified = 0
    var unrectifiedOverdue = 0
    var waiting: [BadReviewStage: Int] = [:]
    var waitingOverdue: [BadReviewStage: Int] = [:]

    mutating func add(_ row: OpenBadReviewRow, asOf: CivilDate?) {
        if row.isUnrectified {
            unrectified += 1
            if row.isOverdue(asOf: asOf) { unrectifiedOverdue += 1 }
        }
        waiting[row.stage, default: 0] += 1
        if row.isStageOverdue(asOf: asOf) { waitingOverdue[row.stage, default: 0] += 1 }
    }
}

/// 好差评: levels, 好评率, score, 差评 and 整改, 回访, 主动评价率.
public struct EvaluationsReport: Sendable, Hashable, Codable {
    public var formula: String
    public var period: String
    public var dimension: ReportDimension
    public var checkpoint: UInt64
    /// The date of the view's latest event: open bad reviews are judged overdue as of it.
    @Nullable public var asOf: String?
    @Nullable public var goodReviewRate: Double?
    @Nullable public var score: Double?
    @Nullable public var rectificationRate: Double?
    @Nullable public var evaluationRate: Double?
    public var total: EvaluationsRow
    public var rows: [EvaluationsRow]

    static func formula(_ rules: HallRules) -> String {
        let points = (1 ... 5).map { "\($0) → \(rules.reviewScore["\($0)"].map { String(format: "%g", $0) } ?? "0")" }
        return """
            reviews = evaluated events, in the quarter of the review date, at the window handling the case then
            goodReviewRate (好评率) = reviews of levels 1–3 / all reviews
            score = mean points per review (\(points.joined(separator: ", ")))
            badReviews (差评) = reviews of levels 4–5
            rectificationRate (差评整改率) = bad reviews rectified within \(rules.badReview.rectifyWorkingDays) working days after the review date / bad reviews (the late and the still open count against it)
            unrectifiedOverdue = bad reviews not rectified and past that limit as of the view's latest event
            callBackRate = bad reviews called back within \(rules.badReview.callBackWorkingDays) working day(s) after the review date / bad reviews
            evaluationRate (主动评价率) = completed cases with any review / completed cases, in the quarter of the decision
            excluded = bad reviews an appeal found mistaken or malicious: they leave reviews, levels, score, 好评率, badReviews and both rates above, in the quarter of the review
            stages: each step of the 差评 loop done on time / late, and waiting (past its limit) as of the view's latest event — callBack \(rules.badReview.callBackWorkingDays), appeal \(rules.badReview.appealWorkingDays) after the review, appealDecision \(rules.badReview.appealDecisionWorkingDays) after the appeal, rectification \(rules.badReview.rectifyWorkingDays) after the review, feedback \(rules.badReview.feedbackWorkingDays) after the rectification (working days)
            """
    }
}

extension EvaluationsProjection {
    /// 好差评 from the view, for `period`, with rows by `dimension`.
    public func report(_ reader: ViewReader, period: ReportPeriod = .all, by dimension: ReportDimension = .quarter) throws -> EvaluationsReport {
        let txn = reader.transaction
        let db: Database<String, [UInt8]> = reader.databases("counters")
        let width = EvaluationCounter.width
        func group(_ key: CounterKey) -> String { dimension == .quarter ? key.quarter.description : key.value }
        var rollup = try CounterRollup.read(dimension.counters, period: period, from: db, width: width, in: txn, group: group)
        let total = try CounterRollup.read(.total, period: period, from: db, width: width, in: txn) { _ in "" }[""]

        let asOf = try StatisticsFold.lastEventDay(reader.databases("meta"), in: txn)
        var open: [String: OpenBadReviewCounts] = [:]
        var openTotal = OpenBadReviewCounts()
        for row in try OpenBadReviewRow.all(from: reader.databases("openBadReviews"), in: txn) where period.contains(row.keys.quarter) {
            let key = dimension == .quarter ? row.keys.quarter.description : row.keys.value(dimension.counters)
            open[key, default: OpenBadReviewCounts()].add(row, asOf: asOf)
            openTotal.add(row, asOf: asOf)
            if rollup.sums[key] == nil { rollup.add([], to: key) }
        }

        let labels = ReportLabels(catalog: try CatalogTable.all(from: reader.databases("catalog"), in: txn))
        let totalRow = EvaluationsRow(key: "", label: "合计", counters: total, open: openTotal, rules: rules)
        let rows = rollup.groups.sorted(by: labels.order(dimension)).map { key in
            EvaluationsRow(key: key, label: labels.label(key, dimension), counters: rollup[key],
                           open: open[key] ?? OpenBadReviewCounts(), rules: rules)
        }
        return EvaluationsReport(formula: EvaluationsReport.formula(rules), period: period.description, dimension: dimension,
                                 checkpoint: reader.checkpoint, asOf: asOf?.description,
                                 goodReviewRate: totalRow.goodReviewRate, score: totalRow.score,
                                 rectificationRate: totalRow.rectificationRate, evaluationRate: totalRow.evaluationRate,
                                 total: totalRow, rows: rows)
    }
}
