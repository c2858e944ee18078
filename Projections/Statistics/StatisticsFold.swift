import CaseDomain
import LMDB
import Ledger
import ProjectionKit

/// A case decided after acceptance (approved, denied or withdrawn), as counted at the decision.
public struct Completion: Sendable, Hashable {
    /// Item, department, level, the window at the decision, and the quarter of the decision date.
    public var keys: CaseKeys
    /// Decided on or before the deadline (promised limit + extension, moved by suspensions).
    public var onTime: Bool
    /// How the case ended: approved (with what certificate), denied, or withdrawn by the applicant.
    public var outcome: CompletionOutcome
    /// Working days after acceptance up to the decision, suspended days excluded.
    public var effectiveDays: Int
    public var legalDays: Int
    public var promisedDays: Int
    /// Visits so far (a later visit is reported by `visitedAfterCompletion`).
    public var convenience: ConvenienceFlags
    public var crossRegion: Bool
    public var assisted: Bool
    public var extended: Bool
    public var suspended: Bool
    /// The case was reviewed before its decision (after a visit).
    public var evaluated: Bool
}

/// How a completed case ended. A withdrawal after 受理 is the applicant's choice, not a decision:
/// it counts in the volume of completions but not in the on-time rate or the compression.
public enum CompletionOutcome: Sendable, Hashable {
    case approved(certificate: Bool, electronic: Bool, inLibrary: Bool)
    case denied
    case withdrawn

    /// Approved or denied: a decision of the bureau.
    public var isDecision: Bool { self != .withdrawn }
}

/// A 好差评 review, counted under the quarter of its date and the case's window at that time.
public struct Review: Sendable, Hashable {
    public var keys: CaseKeys
    public var level: Int
    /// The completion keys when this is the first review of a case already completed (for
    /// 主动评价率: evaluated completed cases / completed cases).
    public var firstOfCompletedCase: CaseKeys?
}

/// What happened to a bad review: a step of its loop (回访, 申诉, 整改, 反馈), in time or not.
public struct BadReviewOutcome: Sendable, Hashable {
    /// The bad review's keys (its window and the quarter of its date).
    public var keys: CaseKeys
    public var reviewedOn: CivilDate
    public var on: CivilDate
    public var inTime: Bool
}

/// Receives the facts `StatisticsFold` folds out of the log. A projection turns them into counters.
public protocol CaseFactSink {
    mutating func completed(_ completion: Completion)
    /// A visit after the decision (e.g. collecting a paper certificate): the case moves between
    /// the visit buckets of its completion.
    mutating func visitedAfterCompletion(_ keys: CaseKeys, before: ConvenienceFlags, after: ConvenienceFlags)
    mutating func reviewed(_ review: Review)
    mutating func calledBack(_ outcome: BadReviewOutcome)
    mutating func rectified(_ outcome: BadReviewOutcome)
    /// The bureau appealed a bad review (in time: by the appeal limit after the review).
    mutating func appealed(_ outcome: BadReviewOutcome)
    /// The appeal was decided (in time: by the decision limit after the appeal).
    mutating func appealDecided(_ outcome: BadReviewOutcome)
    /// The appeal excluded the review: it leaves the counts it entered (reviews, levels, call-backs).
    mutating func excluded(_ review: ExcludedReview)
    /// The reviewer was told the outcome (in time: by the feedback limit after the rectification).
    mutating func fedBack(_ outcome: BadReviewOutcome)
}

extension CaseFactSink {
    public mutating func visitedAfterCompletion(_ keys: CaseKeys, before: ConvenienceFlags, after: ConvenienceFlags) {}
    public mutating func reviewed(_ review: Review) {}
    public mutating func calledBack(_ outcome: BadReviewOutcome) {}
    public mutating func rectified(_ outcome: BadReviewOutcome) {}
    public mutating func appealed(_ outcome: BadReviewOutcome) {}
    public mutating func appealDecided(_ outcome: BadReviewOutcome) {}
    public mutating func excluded(_ review: ExcludedReview) {}
    public mutating func fedBack(_ outcome: BadReviewOutcome) {}
}

/// The per-case fold the statistics views share: it keeps a `CountedCase` per case, the view's
/// catalog, the bad reviews still open, and the date of the latest event, and hands each
/// countable fact to a `CaseFactSink`.
///
/// Only the payloads it needs are decoded, and only the fields it needs of those; events that
/// change nothing it counts (steps, deliveries, supplements, rejections) are skipped unread.
///
/// Databases (declare them with `databases(reviews:)`): `cases` (case → track), `catalog`
/// (item → item, as `CatalogTable` keeps it), `meta` (`lastEventDay`), and with reviews
/// `openBadReviews` (case ␟ review ordinal → `OpenBadReviewRow`).
public struct StatisticsFold {
    public let calendar: WorkCalendar
    /// The call-back and rectification limits; nil for views that do not count reviews (their
    /// review events are skipped).
    public let badReview: HallRules.BadReview?

    public init(calendar: WorkCalendar, badReview: HallRules.BadReview?) {
        self.calendar = calendar
        self.badReview = badReview
    }

    public static func databases(reviews: Bool) -> [ViewDatabase] {
        [ViewDatabase("cases"), ViewDatabase("catalog"), ViewDatabase("meta")]
            + (reviews ? [ViewDatabase("openBadReviews")] : [])
    }

    /// Folds `batch.events` into the view's case tables and hands the facts to `sink`.
    public func apply<Sink: CaseFactSink>(_ batch: EventBatch, to view: ViewWriter, sink: inout Sink) throws {
        let txn = view.transaction
        var tracks = CountedCaseTable(view.databases("cases"), batch: batch)
        var catalog = CatalogTable(view.databases("catalog"))
        var items = ItemDescriptions()
        let meta: Database<String, [UInt8]> = view.databases("meta")
        let open: Database<String, [UInt8]>? = badReview == nil ? nil : view.databases("openBadReviews")
        var lastDay = try StatisticsFold.lastEventDay(meta, in: txn)

        let events = batch.events
        let caseSlots = batch.caseSlots
        var warmed = events.startIndex
        for i in events.indices {
            if i == warmed {
                warmed = min(i + 256, events.endIndex)
                batch.warm(i ..< warmed)
            }
            let event = events[i]
            // A read of a contact is no case work: it must not move the reports' last event day.
            if case .contactRead = try event.type { continue }
            if case .contactErased = try event.type { continue }
            if try event.type.isAdministration { continue }  // a grant is no case work either
            let day = CivilDate(instantMilliseconds: event.at.milliseconds)
            if lastDay.map({ day > $0 }) ?? true { lastDay = day }
            do {
                switch try event.type {
                case .itemPublished, .itemRevised:
                    catalog.apply(try event.data())
                    items = ItemDescriptions()  // the catalog changed
                    continue
                case .supplementRequested, .supplementReceived, .rejected, .stepCompleted, .delivered:
                    continue
                case .evaluated, .followedUp, .appealed, .appealDecided, .rectified, .feedbackGiven:
                    if badReview == nil { continue }
                default:
                    break
                }
                let slot = Int(caseSlots[i])
                try tracks.touch(slot, event.caseBytes, in: txn)
                try fold(event, on: day, into: &tracks.tracks[slot], catalog: &catalog, items: &items, open: open,
                         txn: view.transaction, sink: &sink)
            } catch let error as ByteDecodingError {
                // Only a record that does not decode is the record's fault; the environment's
                // errors (a full map is grown and the batch retried) pass unchanged.
                throw FoldFailure(seq: event.seq, error)
            }
        }
        try tracks.flush(txn, batch: batch)
        try catalog.flush(txn)
        if let lastDay {
            try txn.put(meta, "lastEventDay", withUnsafeBytes(of: lastDay.dayNumber.littleEndian) { Array($0) })
        }
    }

    private func fold<Sink: CaseFactSink>(_ event: EventView, on day: CivilDate, into track: inout CountedCase,
                                          catalog: inout CatalogTable, items: inout ItemDescriptions,
                                          open: Database<String, [UInt8]>?,
                                          txn: WriteTransaction, sink: inout Sink) throws {
        switch try event.type {
        case .submitted:
            let fields = try PayloadFields.submitted(event.payload)
            let item = try items.describe(fields.item, catalog: &catalog, txn: txn)
            track.channel = fields.channel
            track.crossRegion = fields.crossRegion
            track.theme = fields.theme
            items.describe(&track, as: item)
        case .accepted:
            let fields = try PayloadFields.accepted(event.payload)
            let item = try items.describe(fields.item, catalog: &catalog, txn: txn)
            track.window = fields.window
            track.legalDays = fields.legalDays
            track.promisedDays = fields.promisedDays
            track.accepted = true
            track.acceptedDay = day.dayNumber
            if items.names[item] != track.item || track.department.isEmpty {
                items.describe(&track, as: item)
            }
        case .materialsReduced:
            track.materialsReduced = true
        case .suspended:
            track.suspensions.append(SuspensionPeriod(start: day, end: nil))
        case .resumed:
            if !track.suspensions.isEmpty { track.suspensions[track.suspensions.count - 1].end = day }
        case .extended:
            track.extensionDays += try PayloadFields.extendedDays(event.payload)
        case .transferred:
            track.window = try PayloadFields.transferredWindow(event.payload)
        case .visited:
            let before = track.convenience
            track.visits += 1
            if track.completed {
                sink.visitedAfterCompletion(track.completionKeys, before: before, after: track.convenience)
            }
        case .assisted:
            track.assisted = true
        case .approved, .denied, .withdrawn:
            guard track.accepted, !track.completed else { return }  // a withdrawal before 受理 is not a completion
            track.completed = true
            track.completedDay = day.dayNumber
            track.completedWindow = track.window
            let outcome: CompletionOutcome
            switch try event.type {
            case .approved:
                let fields = try PayloadFields.approved(event.payload)
                outcome = .approved(certificate: fields.certificate, electronic: fields.electronic, inLibrary: fields.inLibrary)
            case .denied: outcome = .denied
            default: outcome = .withdrawn
            }
            sink.completed(completion(of: track, on: day, outcome: outcome))
        case .evaluated, .followedUp, .appealed, .appealDecided, .rectified, .feedbackGiven:
            try foldBadReviewStep(event, on: day, into: &track, open: open, txn: txn, sink: &sink)
        default:
            break
        }
    }

    private func completion(of track: CountedCase, on day: CivilDate, outcome: CompletionOutcome) -> Completion {
        let acceptedOn = CivilDate(dayNumber: track.acceptedDay)
        // Dates the ledger admitted lie in the loaded calendar; a deadline beyond its last year
        // is later than any of them, so the case is on time.
        let deadline = try? calendar.deadline(acceptedOn: acceptedOn, workingDays: track.promisedDays,
                                              suspensions: track.suspensions, extensionDays: track.extensionDays, asOf: day)
        let effective = (try? calendar.effectiveWorkingDays(acceptedOn: acceptedOn, completedOn: day,
                                                            suspensions: track.suspensions)) ?? 0
        return Completion(keys: track.completionKeys, onTime: deadline.map { day <= $0 } ?? true, outcome: outcome,
                          effectiveDays: effective,
                          legalDays: track.legalDays, promisedDays: track.promisedDays, convenience: track.convenience,
                          crossRegion: track.crossRegion, assisted: track.assisted, extended: track.extensionDays > 0,
                          suspended: !track.suspensions.isEmpty, evaluated: track.evaluations > 0)
    }

    /// The `n`-th working day after `day`; nil beyond the loaded calendar.
    func deadline(after day: CivilDate, _ n: Int) -> CivilDate? {
        try? calendar.deadline(acceptedOn: day, workingDays: max(0, n))
    }

    /// Last day to rectify a bad review of `day` (rules: rectifyWorkingDays working days after it).
    func rectificationDeadline(of day: CivilDate) -> CivilDate? {
        deadline(after: day, badReview?.rectifyWorkingDays ?? 0)
    }

    /// The date of the latest event the view has seen.
    public static func lastEventDay(_ meta: Database<String, [UInt8]>, in txn: ReadTransaction) throws -> CivilDate? {
        try txn.withValue(meta, "lastEventDay") { raw -> CivilDate? in
            raw.count == 4 ? CivilDate(dayNumber: Int32(littleEndian: raw.loadUnaligned(as: Int32.self))) : nil
        } ?? nil
    }
}

/// The item codes one `apply` has looked up in the view's catalog, keyed by the code's bytes as
/// the payload holds them: a case's item, department and level are set from here without
/// building the code's String and looking it up for every submission and acceptance. Start a
/// new one whenever the catalog changes.
struct ItemDescriptions {
    var codes = CaseSlots(expected: 256)
    var names: [String] = []
    var departments: [String] = []
    var levels: [ServiceLevel?] = []

    /// The index of the item whose code is `code` (looked up in `catalog` the first time).
    mutating func describe(_ code: UnsafeRawBufferPointer, catalog: inout CatalogTable, txn: ReadTransaction) throws -> Int {
        let (index, isNew) = codes.slot(for: code)
        if isNew {
            let name = String(decoding: code, as: UTF8.self)
            let item = try catalog.item(name, in: txn)
            names.append(name)
            departments.append(item?.department ?? "")
            levels.append(item?.level)
        }
        return index
    }

    /// Sets the track's item, and its department and level from the catalog.
    func describe(_ track: inout CountedCase, as index: Int) {
        track.item = names[index]
        track.department = departments[index]
        track.level = levels[index]
    }
}

/// A bad review still in the loop (until its feedback or its exclusion), as the
/// `openBadReviews` table holds it.
public struct OpenBadReviewRow: Sendable, Hashable {
    public var keys: CaseKeys
    public var reviewedOn: CivilDate
    /// Last day to rectify; nil when it lies beyond the loaded calendar.
    public var deadline: CivilDate?
    public var stage: BadReviewStage = .awaitingCallBack
    /// Last day of the step the review waits for (`stage`); nil beyond the loaded calendar.
    public var stageDeadline: CivilDate?

    /// Not rectified yet (waiting for its call-back, its rectification or its appeal's decision).
    public var isUnrectified: Bool { stage != .awaitingFeedback }

    /// Not rectified and past its rectification deadline on `day` (as of the view's latest event).
    public func isOverdue(asOf day: CivilDate?) -> Bool {
        guard isUnrectified, let day, let deadline else { return false }
        return day > deadline
    }

    /// Past the deadline of the step it waits for on `day`.
    public func isStageOverdue(asOf day: CivilDate?) -> Bool {
        guard let day, let stageDeadline else { return false }
        return day > stageDeadline
    }

    static func key(_ caseNumber: String, _ ordinal: Int) -> String { caseNumber + "\u{1F}" + String(ordinal) }

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 48)
        w.u32(UInt32(bitPattern: reviewedOn.dayNumber))
        w.u32(UInt32(bitPattern: deadline?.dayNumber ?? Int32.min))
        w.string(keys.item)
        w.string(keys.department)
        w.u8(keys.level.map { $0.code + 1 } ?? 0)
        w.string(keys.window)
        w.u8(UInt8(BadReviewStage.allCases.firstIndex(of: stage)!))
        w.u32(UInt32(bitPattern: stageDeadline?.dayNumber ?? Int32.min))
        return w.bytes
    }

    init(keys: CaseKeys, reviewedOn: CivilDate, deadline: CivilDate?, stage: BadReviewStage = .awaitingCallBack,
         stageDeadline: CivilDate? = nil) {
        self.keys = keys
        self.reviewedOn = reviewedOn
        self.deadline = deadline
        self.stage = stage
        self.stageDeadline = stageDeadline
    }

    init(decoding raw: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        var r = ByteReader(raw)
        reviewedOn = CivilDate(dayNumber: Int32(bitPattern: try r.u32()))
        let due = Int32(bitPattern: try r.u32())
        deadline = due == .min ? nil : CivilDate(dayNumber: due)
        let item = try r.string()
        let department = try r.string()
        let levelCode = Int(try r.u8())
        let level = levelCode == 0 ? nil : ServiceLevel(code: UInt8(levelCode - 1))
        guard levelCode == 0 || level != nil else { throw ByteDecodingError("unknown level code \(levelCode)") }
        keys = CaseKeys(item: item, department: department, level: level,
                        window: try r.string(), quarter: Quarter(reviewedOn))
        let stageCode = Int(try r.u8())
        guard stageCode < BadReviewStage.allCases.count else { throw ByteDecodingError("unknown bad review stage \(stageCode)") }
        stage = BadReviewStage.allCases[stageCode]
        let stageDue = Int32(bitPattern: try r.u32())
        stageDeadline = stageDue == .min ? nil : CivilDate(dayNumber: stageDue)
    }

    /// Every open bad review of a view, in key order.
    public static func all(from db: Database<String, [UInt8]>, in txn: ReadTransaction) throws -> [OpenBadReviewRow] {
        try txn.withCursor(db) { cursor in
            var rows: [OpenBadReviewRow] = []
            var entry = try cursor.first()
            while let (_, value) = entry {
                rows.append(try OpenBadReviewRow(decoding: value))
                entry = try cursor.next()
            }
            return rows
        }
    }
}
