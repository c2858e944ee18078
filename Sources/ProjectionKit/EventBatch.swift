import Ledger

/// A batch of events as the runner hands it to each projection, with the batch's cases indexed
/// once for all of them: every event's case slot (a dense number per distinct case number, in
/// first-seen order), the case numbers' bytes, and the slots in key byte order.
///
/// Views keep per-case state for the length of one `apply`; with the index they keep it in
/// arrays by slot instead of hashing the case number of every event again in every view (and
/// reading each record's case bytes once per view). The index is a pure function of the batch's
/// events, built when the batch is made (the runner makes one per batch) and shared by the
/// projections the batch is applied to; it holds no state across batches.
public struct EventBatch {
    /// The events to apply (seq order). Their indices are the batch's: a suffix of a batch
    /// (a projection whose checkpoint lies inside it) keeps the indices of the whole batch.
    public let events: ArraySlice<EventView>
    /// The case slot of each event, by the same indices as `events`.
    public let caseSlots: ArraySlice<Int32>
    @usableFromInline let index: BatchCaseIndex

    /// A batch of `events` with an index of its own.
    public init(_ events: ArraySlice<EventView>) {
        self.events = events
        index = BatchCaseIndex(events)
        caseSlots = index.slotOfEvent[events.indices]
    }

    init(_ events: ArraySlice<EventView>, caseSlots: ArraySlice<Int32>, index: BatchCaseIndex) {
        self.events = events
        self.caseSlots = caseSlots
        self.index = index
    }

    /// The events from index `start` on, sharing this batch's index.
    public func suffix(from start: Int) -> EventBatch {
        EventBatch(events[start...], caseSlots: caseSlots[start...], index: index)
    }

    /// The case slot of the event at `i` (an index of `events`). In a loop, read `caseSlots`
    /// into a local first.
    @inlinable
    public func caseSlot(at i: Int) -> Int { Int(caseSlots[i]) }

    /// Number of distinct case numbers in the batch (slots are `0 ..< caseCount`).
    public var caseCount: Int { index.cases.count }

    /// Runs `body` on the case number bytes of `slot`.
    @inlinable
    public func withCaseBytes<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try index.cases.withKey(slot, body)
    }

    /// Reads a byte of each record's case number and payload in `range` (indices of `events`),
    /// in one tight loop, so that the cache misses of a stretch of records overlap instead of
    /// stalling the fold one event at a time. Call it for a short stretch just before folding it.
    /// Returns a value of no meaning (so the reads are not optimised away).
    @discardableResult
    public func warm(_ range: Range<Int>) -> UInt8 {
        var sum: UInt8 = 0
        for i in range {
            let event = events[i]
            let payload = event.payload
            if let p = payload.baseAddress, payload.count > 0 { sum &+= p.load(as: UInt8.self) }
            if payload.count > 64, let p = payload.baseAddress { sum &+= p.load(fromByteOffset: 64, as: UInt8.self) }
        }
        return sum
    }

    /// The case number of `slot`.
    public func caseNumber(_ slot: Int) -> String { index.cases.string(slot) }

    /// Every slot, in case number byte order (LMDB's key order).
    public var slotsInKeyOrder: [Int] { index.sorted }
}

/// The case index of one batch (see `EventBatch`).
@usableFromInline
final class BatchCaseIndex {
    /// Each event's slot, at the event's index (entries before the batch's first index are unused).
    let slotOfEvent: [Int32]
    @usableFromInline let cases: CaseSlots
    private var sortedSlots: [Int]?
    /// A byte sum of no meaning: keeps the touching reads of `init`.
    private(set) var touched: UInt8 = 0

    init(_ events: ArraySlice<EventView>) {
        var cases = CaseSlots(expected: min(events.count, 1 << 16))
        var slots: [Int32] = []
        slots.reserveCapacity(events.endIndex)
        slots.append(contentsOf: repeatElement(0, count: events.startIndex))
        var sum: UInt8 = 0
        var i = events.startIndex
        while i < events.endIndex {
            // Touch a stretch of records first (their misses overlap), then hash their case numbers.
            let end = min(i + 256, events.endIndex)
            for j in i ..< end { if let p = events[j].streamBytes.baseAddress { sum &+= p.load(as: UInt8.self) } }
            for j in i ..< end { slots.append(Int32(cases.slot(for: events[j].streamBytes).slot)) }
            i = end
        }
        touched = sum
        slotOfEvent = slots
        self.cases = cases
    }

    var sorted: [Int] {
        if let sortedSlots { return sortedSlots }
        let order = cases.sortedSlots()
        sortedSlots = order
        return order
    }
}
