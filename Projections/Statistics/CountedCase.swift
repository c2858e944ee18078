import CaseDomain
import LMDB
import Ledger
import ProjectionKit

/// What the statistics views remember of one case between batches: the facts that decide
/// where its completion and its reviews are counted, in a compact binary row (far smaller
/// than a `CaseFile`: no applicant, no comments, no certificate).
///
/// The item's department and level are copied from the view's catalog when the case is
/// submitted (or accepted for another item), so every later fact of the case — a visit after
/// the decision, a review, a rectification — lands on the same keys as its completion.
public struct CountedCase: Sendable, Hashable {
    public var item = ""
    public var department = ""
    public var level: ServiceLevel?
    public var channel: Channel = .window
    public var crossRegion = false
    /// The 一件事一次办 theme named at submission ("" when none).
    public var theme = ""
    /// Accepted (受理): the clock runs from `acceptedDay` with the snapshotted limits.
    public var accepted = false
    public var acceptedDay: Int32 = 0
    public var legalDays = 0
    public var promisedDays = 0
    /// The window handling the case now (after transfers); "" before acceptance.
    public var window = ""
    public var extensionDays = 0
    public var suspensions: [SuspensionPeriod] = []
    /// Decided after acceptance (approved, denied or withdrawn): counted once, at the decision.
    public var completed = false
    public var completedDay: Int32 = 0
    /// The window the completion was counted under.
    public var completedWindow = ""
    public var visits = 0
    public var materialsReduced = false
    public var assisted = false
    public var evaluations = 0
    /// Bad reviews (差评) still in the loop (not fed back, not excluded), oldest first.
    public var openBadReviews: [OpenBadReview] = []

    public init() {}

    /// Applied for online (PC or mobile: 全程网办 when nobody came to the hall).
    public var onlineChannel: Bool { channel == .pc || channel == .mobile }

    /// The keys the completion is counted under (valid once `completed`).
    public var completionKeys: CaseKeys {
        CaseKeys(item: item, department: department, level: level, window: completedWindow,
                 quarter: Quarter(CivilDate(dayNumber: completedDay)), theme: theme)
    }

    /// The keys of a fact dated `day` at the case's current window (a review, say).
    public func keys(on day: CivilDate, window: String) -> CaseKeys {
        CaseKeys(item: item, department: department, level: level, window: window, quarter: Quarter(day), theme: theme)
    }

    /// The convenience facts as the case stands (visits counted so far).
    public var convenience: ConvenienceFlags {
        ConvenienceFlags(visits: visits, online: onlineChannel, materialsReduced: materialsReduced)
    }
}

/// A bad review still in the 差评 loop (until its feedback, or its exclusion on appeal).
public struct OpenBadReview: Sendable, Hashable {
    /// Which of the case's reviews (0 = first).
    public var ordinal: Int
    public var day: CivilDate
    /// The window reviewed ("" when the case was never accepted).
    public var window: String
    public var calledBack: Bool
    /// 4 or 5 (0 in rows stored before the level was kept).
    public var level = 0
    public var calledBackInTime = false
    /// The day the bureau appealed it, if it did.
    public var appealedDay: CivilDate?
    /// Appealed and not decided yet.
    public var appealPending = false
    public var rectifiedDay: CivilDate?

    public init(ordinal: Int, day: CivilDate, window: String, calledBack: Bool = false) {
        self.ordinal = ordinal
        self.day = day
        self.window = window
        self.calledBack = calledBack
    }

    /// Its stage, as `BadReview.stage` tells it for the case file (never closed or excluded here).
    public var stage: BadReviewStage {
        if rectifiedDay != nil { return .awaitingFeedback }
        if appealPending { return .underAppeal }
        return calledBack ? .awaitingRectification : .awaitingCallBack
    }

    /// Whether `step` applies to this review now (the case rules' order).
    public func admits(_ step: EventType) -> Bool {
        switch step {
        case .followedUp: stage == .awaitingCallBack
        case .appealed: stage == .awaitingRectification && appealedDay == nil
        case .appealDecided: stage == .underAppeal
        case .rectified: stage == .awaitingRectification
        case .feedbackGiven: stage == .awaitingFeedback
        default: false
        }
    }
}

/// Where a fact is counted: each dimension's value and the quarter of the fact's date.
public struct CaseKeys: Sendable, Hashable {
    public var item: String
    public var department: String
    public var level: ServiceLevel?
    /// "" for a case never accepted (it has no window).
    public var window: String
    public var quarter: Quarter
    /// The 一件事 theme; "" for a case that names none (it gets no theme row).
    public var theme: String

    public init(item: String, department: String, level: ServiceLevel?, window: String, quarter: Quarter, theme: String = "") {
        self.item = item
        self.department = department
        self.level = level
        self.window = window
        self.quarter = quarter
        self.theme = theme
    }

    /// The value of `dimension` ("" for the overall total).
    public func value(_ dimension: CounterDimension) -> String {
        switch dimension {
        case .total: ""
        case .level: level?.rawValue ?? ""
        case .department: department
        case .window: window
        case .item: item
        case .theme: theme
        }
    }
}

/// The convenience shares' facts of one case (最多跑一次, 零跑动, 全程网办, 减材料).
public struct ConvenienceFlags: Sendable, Hashable {
    public var visits: Int
    public var atMostOneVisit: Bool
    public var zeroVisits: Bool
    /// Applied online (PC or mobile) and never came to the hall.
    public var fullyOnline: Bool
    public var materialsWaived: Bool
    /// Materials waived, or fully online (the 金牌窗口 component).
    public var waivedOrOnline: Bool

    public init(visits: Int, online: Bool, materialsReduced: Bool) {
        self.visits = visits
        atMostOneVisit = visits <= 1
        zeroVisits = visits == 0
        fullyOnline = online && visits == 0
        materialsWaived = materialsReduced
        waivedOrOnline = materialsReduced || fullyOnline
    }
}

// MARK: - Stored form

extension CountedCase {
    /// Layout version of the stored row (the views are rebuilt when it changes).
    /// 2: each open bad review keeps its level and its steps (1: ordinal, day, window, calledBack).
    static let encodingVersion: UInt8 = 2

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64 + item.utf8.count + department.utf8.count)
        encode(into: &w)
        return w.bytes
    }

    /// Appends the encoding to `w` (the bytes of `encoded()`).
    public func encode(into w: inout ByteWriter) {
        w.u8(CountedCase.encodingVersion)
        w.string(item)
        w.string(department)
        w.u8(level.map { $0.code + 1 } ?? 0)
        w.u8(channel.code)
        w.string(theme)
        var flags: UInt8 = 0
        if crossRegion { flags |= 1 }
        if accepted { flags |= 2 }
        if completed { flags |= 4 }
        if materialsReduced { flags |= 8 }
        if assisted { flags |= 16 }
        w.u8(flags)
        if accepted {
            w.u32(UInt32(bitPattern: acceptedDay))
            w.varint(legalDays)
            w.varint(promisedDays)
            w.string(window)
            w.varint(extensionDays)
            w.varint(suspensions.count)
            for period in suspensions {
                w.u32(UInt32(bitPattern: period.start.dayNumber))
                w.u32(UInt32(bitPattern: period.end?.dayNumber ?? Int32.min))
            }
        }
        if completed {
            w.u32(UInt32(bitPattern: completedDay))
            w.string(completedWindow)
        }
        w.varint(visits)
        w.varint(evaluations)
        w.varint(openBadReviews.count)
        for review in openBadReviews {
            w.varint(review.ordinal)
            w.u32(UInt32(bitPattern: review.day.dayNumber))
            w.string(review.window)
            w.bool(review.calledBack)
            w.u8(UInt8(clamping: review.level))
            w.bool(review.calledBackInTime)
            w.u32(UInt32(bitPattern: review.appealedDay?.dayNumber ?? Int32.min))
            w.bool(review.appealPending)
            w.u32(UInt32(bitPattern: review.rectifiedDay?.dayNumber ?? Int32.min))
        }
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        var r = ByteReader(bytes)
        let version = try r.u8()
        guard version == CountedCase.encodingVersion || version == 1 else { throw ByteDecodingError("unknown case track version") }
        item = try r.string()
        department = try r.string()
        let levelCode = Int(try r.u8())
        if levelCode == 0 {
            level = nil
        } else {
            guard let known = ServiceLevel(code: UInt8(levelCode - 1)) else { throw ByteDecodingError("unknown level code \(levelCode)") }
            level = known
        }
        let channelCode = Int(try r.u8())
        guard let known = Channel(code: UInt8(channelCode)) else { throw ByteDecodingError("unknown channel code \(channelCode)") }
        channel = known
        theme = try r.string()
        let flags = try r.u8()
        crossRegion = flags & 1 != 0
        accepted = flags & 2 != 0
        completed = flags & 4 != 0
        materialsReduced = flags & 8 != 0
        assisted = flags & 16 != 0
        if accepted {
            acceptedDay = Int32(bitPattern: try r.u32())
            legalDays = try r.int()
            promisedDays = try r.int()
            window = try r.string()
            extensionDays = try r.int()
            let count = try r.int()
            guard count <= r.remaining else { throw ByteDecodingError("suspension count \(count) exceeds the row") }
            suspensions.reserveCapacity(count)
            for _ in 0 ..< count {
                let start = CivilDate(dayNumber: Int32(bitPattern: try r.u32()))
                let end = Int32(bitPattern: try r.u32())
                suspensions.append(SuspensionPeriod(start: start, end: end == .min ? nil : CivilDate(dayNumber: end)))
            }
        }
        if completed {
            completedDay = Int32(bitPattern: try r.u32())
            completedWindow = try r.string()
        }
        visits = try r.int()
        evaluations = try r.int()
        let open = try r.int()
        guard open <= r.remaining else { throw ByteDecodingError("review count \(open) exceeds the row") }
        for _ in 0 ..< open {
            var review = OpenBadReview(ordinal: try r.int(), day: CivilDate(dayNumber: Int32(bitPattern: try r.u32())),
                                       window: try r.string(), calledBack: try r.bool())
            if version >= 2 {
                review.level = Int(try r.u8())
                review.calledBackInTime = try r.bool()
                let appealed = Int32(bitPattern: try r.u32())
                review.appealedDay = appealed == .min ? nil : CivilDate(dayNumber: appealed)
                review.appealPending = try r.bool()
                let rectified = Int32(bitPattern: try r.u32())
                review.rectifiedDay = rectified == .min ? nil : CivilDate(dayNumber: rectified)
            }
            openBadReviews.append(review)
        }
        guard r.isAtEnd else { throw ByteDecodingError("\(r.remaining) unexpected bytes after a case track") }
    }
}

/// A view's table of case tracks (case number → `CountedCase`), cached for one batch by the
/// batch's case slots (`EventBatch`): each case is read at most once per batch and written
/// once, in key order, at `flush`. Make one per `apply` call (views keep no state across calls).
public struct CountedCaseTable {
    @usableFromInline let database: Database<BorrowedBytes, [UInt8]>
    /// The tracks by slot (valid where `touched`).
    public var tracks: [CountedCase]
    /// Whether the batch touched the case of a slot (its track was read, and will be written).
    public private(set) var touched: [Bool]

    public init(_ database: Database<String, [UInt8]>, batch: EventBatch) {
        self.database = database.retyped()
        tracks = Array(repeating: CountedCase(), count: batch.caseCount)
        touched = Array(repeating: false, count: batch.caseCount)
    }

    /// Reads the track of the case in `slot` (whose number is `caseBytes`) the first time the
    /// batch touches it: as the table holds it, or a fresh one.
    @inlinable
    public mutating func touch(_ slot: Int, _ caseBytes: UnsafeRawBufferPointer, in txn: ReadTransaction) throws {
        if !touched[slot] { try load(slot, caseBytes, in: txn) }
    }

    @usableFromInline
    mutating func load(_ slot: Int, _ caseBytes: UnsafeRawBufferPointer, in txn: ReadTransaction) throws {
        touched[slot] = true
        if let stored = try txn.withValue(database, BorrowedBytes(caseBytes), { try CountedCase(decoding: $0) }) {
            tracks[slot] = stored
        }
    }

    /// Writes every track touched in this batch, in key order.
    public func flush(_ txn: WriteTransaction, batch: EventBatch) throws {
        var w = ByteWriter(capacity: 256)
        for slot in batch.slotsInKeyOrder where touched[slot] {
            w.reset()
            tracks[slot].encode(into: &w)
            try batch.withCaseBytes(slot) { key in try txn.put(database, BorrowedBytes(key), w.bytes) }
        }
    }

    /// Reads one case's track from a view.
    public static func read(_ caseNumber: String, from db: Database<String, [UInt8]>, in txn: ReadTransaction) throws -> CountedCase? {
        try txn.withValue(db, caseNumber) { try CountedCase(decoding: $0) }
    }
}
