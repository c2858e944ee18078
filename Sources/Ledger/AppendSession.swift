import Foundation
import LMDB

/// One write transaction handed to a producer of appends (an import): it appends stream after
/// stream as it reads its input, sees what it appended so far, and then everything commits at
/// once — or, when the producer throws, nothing does. The input never has to be held in memory.
///
/// Valid only inside `EventStore.appendAtomically`'s closure.
public struct AppendSession {
    var appender: Appender
    let codec: any EventCodec
    /// The log's head before the session's first append.
    public let startHead: ChainDigest

    init(appender: Appender, codec: any EventCodec) {
        self.appender = appender
        self.codec = codec
        startHead = appender.head
    }

    /// The log's head including what this session appended so far.
    public var head: ChainDigest { appender.head }

    /// Checks (codec, expected version, ids) and writes one stream's append into the session.
    /// - Throws: `LedgerError` for a refusal (let it end the session: the caller decides whether
    ///   a refusal aborts everything); any other error is the store's and must be rethrown as is.
    public mutating func append(_ request: AppendRequest) throws -> AppendResult {
        try appender.apply(try EncodedAppend(request, codec: codec))
    }

    /// The seq of the event with this id, committed or appended in this session; nil if none.
    public func seq(ofEventID id: UUID) throws -> UInt64? {
        try appender.txn.get(appender.storage.ids, idKey(id))
    }

    /// Calls `body` with each of the stream's events (committed or appended in this session), in
    /// order, until it returns false.
    public func scan(of stream: StreamID, _ body: (EventView) throws -> Bool) throws {
        let storage = appender.storage, txn = appender.txn
        try txn.withCursor(storage.cases) { cursor in
            guard try cursor.seek(exactly: stream.rawValue) != nil else { return }
            var entry = try cursor.current()
            while let (_, value) = entry {
                guard try storage.withRecord(seq: try UInt64(lmdbBytes: value), txn, body) ?? true else { return }
                entry = try cursor.nextDuplicate()
            }
        }
    }

    /// The event at `seq`, lent for one call of `body`; nil when there is none.
    public func withEvent<R>(seq: UInt64, _ body: (EventView) throws -> R) throws -> R? {
        try appender.storage.withRecord(seq: seq, appender.txn, body)
    }
}

extension EventStore {
    /// Runs `produce` with one write transaction on the writer thread and commits what it
    /// appended, durably, when it returns; when it throws, nothing is written and its error is
    /// rethrown. Other appenders wait meanwhile, so keep it to bulk work such as an import.
    ///
    /// `produce` may run more than once (the transaction restarts when the map has to grow):
    /// it must start from scratch each time, and must rethrow errors it does not own unchanged.
    public func appendAtomically<R: Sendable>(_ produce: @escaping @Sendable (inout AppendSession) throws -> R) async throws -> R {
        let writer = try requireWriter()
        let codec = self.codec
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.session({ appender in
                var session = AppendSession(appender: appender, codec: codec)
                defer { appender = session.appender }
                return try produce(&session)
            }, complete: { continuation.resume(with: $0.map { $0 as! R }) }))
        }
    }
}
