/// Future events ordered by (time, sequence): a binary min-heap of small keys over a slab of
/// events, so sifting moves 24-byte entries, not events. The sequence number, given at
/// scheduling, breaks ties in scheduling order: a case's events, scheduled in order, keep it.
struct EventQueue {
    private struct Entry {
        var at: Int64
        var seq: UInt64
        var slot: Int32

        @inline(__always) static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            a.at != b.at ? a.at < b.at : a.seq < b.seq
        }
    }

    private var heap: [Entry] = []
    private var slab: [SimulatedEvent?] = []
    private var freeSlots: [Int32] = []
    private var nextSeq: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The time of the earliest event, in milliseconds.
    var earliest: Int64? { heap.first?.at }

    mutating func push(_ event: SimulatedEvent) {
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            slab[Int(free)] = event
        } else {
            slot = Int32(slab.count)
            slab.append(event)
        }
        heap.append(Entry(at: event.at.milliseconds, seq: nextSeq, slot: slot))
        nextSeq += 1
        var child = heap.count - 1
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.precedes(entry, heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> SimulatedEvent? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            var parent = 0
            let count = heap.count
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count, Entry.precedes(heap[child + 1], heap[child]) { child += 1 }
                guard Entry.precedes(heap[child], last) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        let event = slab[Int(top.slot)].take()
        freeSlots.append(top.slot)
        return event
    }
}
