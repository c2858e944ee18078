import Synchronization

/// One durable commit of the writer: the appends it merged into one transaction (one fsync).
public struct CommitGroup: Sendable, Hashable {
    /// Appends (requests) in the transaction, refused ones included: they waited for it too.
    public let appends: Int
    /// Events the commit made durable.
    public let events: Int

    public init(appends: Int, events: Int) {
        self.appends = appends
        self.events = events
    }
}

/// Whoever wants to know how the writer groups its commits (the server's metrics), without the
/// ledger knowing about metrics. Observers run on the writer thread after the commit and before
/// the appenders are acknowledged: they must be quick and never append.
final class CommitObservers: Sendable {
    private let observers = Mutex<[@Sendable (CommitGroup) -> Void]>([])

    func add(_ observer: @escaping @Sendable (CommitGroup) -> Void) { observers.withLock { $0.append(observer) } }

    /// Called by the writer after a commit of `appends` appends with these outcomes.
    func committed(appends: Int, results: [Result<AppendResult, any Error>]) {
        let current = observers.withLock { $0 }
        guard !current.isEmpty else { return }
        var events = 0
        for case .success(let result) in results where !result.alreadyRecorded { events += result.positions.count }
        let group = CommitGroup(appends: appends, events: events)
        for observer in current { observer(group) }
    }
}

extension EventStore {
    /// Calls `observer` after each commit of the writer with the size of its group. For metrics;
    /// see `CommitObservers` for what an observer may do.
    public func observeCommits(_ observer: @escaping @Sendable (CommitGroup) -> Void) {
        notifier.groups.add(observer)
    }

    /// The log's read transactions open at this moment in this process.
    public var openReadTransactions: Int { storage.environment.openReadTransactions }
}
