/// Every event from a seq on, in order, then new appends live. Reads the log in batches, so a
/// slow consumer never makes the store buffer the whole log.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    let store: EventStore
    let from: UInt64

    public func makeAsyncIterator() -> Iterator { Iterator(store: store, next: from) }

    public struct Iterator: AsyncIteratorProtocol {
        let store: EventStore
        var next: UInt64
        var buffer: [RecordedEvent] = []
        var index = 0
        static let batch = 512

        init(store: EventStore, next: UInt64) {
            self.store = store
            self.next = next
        }

        /// The next event; nil only when the task is cancelled.
        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                buffer = try store.events(from: next, limit: Iterator.batch)
                index = 0
                if buffer.isEmpty { await store.waitForAppend(after: next - 1) }
            }
            defer { index += 1 }
            next = buffer[index].seq + 1
            return buffer[index]
        }
    }
}
