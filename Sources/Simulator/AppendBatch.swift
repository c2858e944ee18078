import Ledger

extension SimulatedEvent {
    /// The event as the ledger appends it (payload encoded as stored).
    public var newEvent: NewEvent {
        NewEvent(id: id, data, at: at, actor: actor)
    }
}

/// Simulated events gathered into appends in log order: consecutive events of one case form one
/// append (`expected: .any` — the simulator already ran every event through the case rules).
public struct AppendBatch: Sendable {
    public private(set) var requests: [AppendRequest] = []
    public private(set) var eventCount = 0

    public init() {}

    public mutating func add(_ event: SimulatedEvent) {
        if requests.last?.stream == event.caseNumber {
            requests[requests.count - 1].events.append(event.newEvent)
        } else {
            requests.append(AppendRequest(stream: event.caseNumber, expected: .any, events: [event.newEvent]))
        }
        eventCount += 1
    }

    public mutating func removeAll() {
        requests.removeAll(keepingCapacity: true)
        eventCount = 0
    }
}
