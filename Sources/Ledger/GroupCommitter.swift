import Foundation
import LMDB

/// A piece of work for the writer thread.
enum WriteJob: Sendable {
    /// One stream's append; committed together with every other append waiting at the time.
    case append(EncodedAppend, complete: @Sendable (Result<AppendResult, any Error>) -> Void)
    /// Several appends that succeed or fail together (an import), in a transaction of their own.
    case atomic(EncodedBatch, complete: @Sendable (Result<[AppendResult], any Error>) -> Void)
    /// A producer of appends that runs inside a transaction of its own (see `AppendSession`).
    case session(@Sendable (inout Appender) throws -> any Sendable, complete: @Sendable (Result<any Sendable, any Error>) -> Void)
}

/// How the writer thread refers to its committer without keeping it (and the storage) alive.
private final class WeakCommitter: @unchecked Sendable {
    weak var value: GroupCommitter?
    init(_ value: GroupCommitter) { self.value = value }
}

/// Some append of an all-or-nothing batch was refused; nothing of the batch was written.
public struct BatchAppendError: Error, Sendable, CustomStringConvertible {
    /// Index of the refused request in the batch.
    public let index: Int
    public let error: LedgerError
    public var description: String { "append \(index + 1) of the batch: \(error)" }
}

/// The single writer. Appenders (threads or tasks) queue jobs; the writer thread takes everything
/// queued, runs it in ONE LMDB write transaction, commits (one fsync), and only then acknowledges
/// each appender. While it commits, the next batch gathers. One appender's refusal (a version
/// conflict, say) fails that appender only.
final class GroupCommitter: @unchecked Sendable {
    private let storage: LogStorage
    private let notifier: CommitNotifier
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [WriteJob] = []
    private var stopping = false
    private var finished = false
    /// Most appends merged into one transaction, to bound its size and latency.
    private let maxGroup = 8192

    /// Signalled by the writer thread once it holds no reference to the committer any more.
    private let exited = DispatchSemaphore(value: 0)

    init(storage: LogStorage, notifier: CommitNotifier) {
        self.storage = storage
        self.notifier = notifier
        // The thread holds the committer only while `run` runs, and says when it let go: `stop`
        // waits for that, so releasing the store closes its environment before `deinit` returns
        // (LMDB forbids opening the same environment twice in one process).
        let exited = exited
        let committer = WeakCommitter(self)
        let thread = Thread {
            GroupCommitter.drive(committer)
            exited.signal()
        }
        thread.name = "ledger-writer"
        thread.start()
    }

    /// Runs the writer loop; the strong reference it takes ends inside this call.
    @inline(never)
    private static func drive(_ committer: WeakCommitter) { committer.value?.run() }

    func submit(_ job: WriteJob) {
        condition.lock()
        let accepted = !stopping
        if accepted {
            pending.append(job)
            condition.signal()
        }
        condition.unlock()
        if !accepted {
            switch job {
            case .append(_, let complete): complete(.failure(LedgerError.storeClosed))
            case .atomic(_, let complete): complete(.failure(LedgerError.storeClosed))
            case .session(_, let complete): complete(.failure(LedgerError.storeClosed))
            }
        }
    }

    /// Finishes the queued jobs, then stops the thread. Waits until it has exited.
    func stop() {
        condition.lock()
        let first = !stopping
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        if first { exited.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty && stopping {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let jobs = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            process(jobs)
        }
    }

    private func process(_ jobs: [WriteJob]) {
        var group: [(EncodedAppend, @Sendable (Result<AppendResult, any Error>) -> Void)] = []
        for job in jobs {
            switch job {
            case let .append(append, complete):
                group.append((append, complete))
                if group.count == maxGroup { commit(group); group.removeAll(keepingCapacity: true) }
            case let .atomic(batch, complete):
                if !group.isEmpty { commit(group); group.removeAll(keepingCapacity: true) }
                complete(commitAtomically(batch))
            case let .session(produce, complete):
                if !group.isEmpty { commit(group); group.removeAll(keepingCapacity: true) }
                complete(commitSession(produce))
            }
        }
        if !group.isEmpty { commit(group) }
    }

    private func commit(_ group: [(EncodedAppend, @Sendable (Result<AppendResult, any Error>) -> Void)]) {
        do {
            let (results, head) = try storage.environment.write { txn in
                try storage.appending(txn) { appender in
                    var results: [Result<AppendResult, any Error>] = []
                    results.reserveCapacity(group.count)
                    for (append, _) in group {
                        do {
                            results.append(.success(try appender.apply(append)))
                        } catch let refusal as LedgerError {
                            // A refusal leaves nothing of its append: the rest commit.
                            results.append(.failure(refusal))
                        }
                    }
                    return (results, appender.head)
                }
            }
            notifier.committed(through: head.seq)
            notifier.groups.committed(appends: group.count, results: results)
            for (result, (_, complete)) in zip(results, group) { complete(result) }
        } catch {
            for (_, complete) in group { complete(.failure(error)) }
        }
    }

    private func commitSession(_ produce: @Sendable (inout Appender) throws -> any Sendable) -> Result<any Sendable, any Error> {
        do {
            let (result, head) = try storage.environment.write { txn in
                try storage.appending(txn) { appender in (try produce(&appender), appender.head) }
            }
            notifier.committed(through: head.seq)
            return .success(result)
        } catch {
            return .failure(error)
        }
    }

    private func commitAtomically(_ batch: EncodedBatch) -> Result<[AppendResult], any Error> {
        do {
            let (results, head) = try storage.environment.write { txn in
                try storage.appending(txn) { appender in
                    var results: [AppendResult] = []
                    results.reserveCapacity(batch.requestCount)
                    // Chunks still being encoded are waited for as the writer reaches them.
                    try batch.forEachChunk { chunk in
                        for (offset, append) in chunk.appends.enumerated() {
                            do {
                                results.append(try appender.apply(append))
                            } catch let refusal as LedgerError {
                                throw BatchAppendError(index: chunk.first + offset, error: refusal)
                            }
                        }
                        if let refusal = chunk.refusal { throw refusal }
                    }
                    return (results, appender.head)
                }
            }
            notifier.committed(through: head.seq)
            notifier.groups.committed(appends: results.count, results: results.map { .success($0) })
            return .success(results)
        } catch {
            return .failure(error)
        }
    }
}
