import Foundation
import LMDB
import LedgerProofs

/// An append whose records were encoded on the caller's thread, back to back in one buffer;
/// the writer only checks, numbers, hashes and stores them.
struct EncodedAppend: Sendable {
    let stream: StreamID
    let expected: ExpectedVersion
    let ids: [UUID]
    /// Every event's record body (version 0), back to back.
    let bodies: [UInt8]
    /// Where each body ends in `bodies`.
    let ends: [Int]

    init(_ request: AppendRequest, codec: any EventCodec) throws(LedgerError) {
        guard !request.events.isEmpty else { throw .emptyAppend(request.stream) }
        if request.events.count > 1 {
            var seen = Set<UUID>(minimumCapacity: request.events.count)
            for event in request.events where !seen.insert(event.id).inserted {
                throw .duplicateIdInAppend(event.id)
            }
        }
        for event in request.events {
            let refusal: String? = event.payload.withUnsafeBytes { raw in
                do throws(ByteDecodingError) { try codec.check(type: event.type, payload: raw) } catch { return error.reason }
                return nil
            }
            if let refusal { throw .invalidPayload(type: event.type, reason: refusal) }
        }
        stream = request.stream
        expected = request.expected
        ids = request.events.map(\.id)
        var w = ByteWriter(capacity: request.events.reduce(0) { $0 + 96 + $1.actor.utf8.count + $1.payload.count })
        var ends: [Int] = []
        ends.reserveCapacity(request.events.count)
        for event in request.events {
            try RecordFormat.encodeBody(stream: request.stream, event: event, into: &w)
            ends.append(w.bytes.count)
        }
        bodies = w.bytes
        self.ends = ends
    }

    var count: Int { ends.count }

    /// Calls `body` with each event's index and record body.
    func forEachBody(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bodies.withUnsafeBytes { raw in
            var start = 0
            for (i, end) in ends.enumerated() {
                try body(i, UnsafeRawBufferPointer(rebasing: raw[start ..< end]))
                start = end
            }
        }
    }
}

extension LogStorage {
    /// Runs `body` with an `Appender` for the write transaction `txn`: the chain head and the
    /// tree's right edge read once, cursors kept open for the whole commit, and the tree's last
    /// nodes put once `body` is done.
    func appending<R>(_ txn: WriteTransaction, _ body: (inout Appender) throws -> R) throws -> R {
        let head = try head(txn)
        let frontier = try treeFrontier(txn)
        guard frontier.size == head.seq, let tree else { throw TreeNotBuilt(treeSize: frontier.size, logSize: head.seq) }
        return try txn.withWriteCursor(log) { logCursor in
            try txn.withWriteCursor(ids) { idCursor in
                try txn.withWriteCursor(cases) { caseCursor in
                    try txn.withWriteCursor(tree) { treeCursor in
                        var appender = Appender(storage: self, txn: txn, log: logCursor, ids: idCursor, cases: caseCursor,
                                                tree: TreeAppending(frontier: frontier, cursor: treeCursor), head: head)
                        let result = try body(&appender)
                        try appender.tree.finish()
                        return result
                    }
                }
            }
        }
    }
}

/// Writes appends into one write transaction, advancing the chain head.
struct Appender {
    let storage: LogStorage
    let txn: WriteTransaction
    let log: WriteCursor<UInt64, [UInt8]>
    let ids: WriteCursor<EventIDKey, UInt64>
    let cases: WriteCursor<String, UInt64>
    /// The Merkle tree's side: every stored record is handed to it.
    fileprivate(set) var tree: TreeAppending
    private(set) var head: ChainDigest

    init(storage: LogStorage, txn: WriteTransaction, log: WriteCursor<UInt64, [UInt8]>, ids: WriteCursor<EventIDKey, UInt64>,
         cases: WriteCursor<String, UInt64>, tree: TreeAppending, head: ChainDigest) {
        self.storage = storage
        self.txn = txn
        self.log = log
        self.ids = ids
        self.cases = cases
        self.tree = tree
        self.head = head
    }

    /// Checks one append against the log and writes it. Nothing is written unless every check
    /// passes (a refusal undoes the id claims it made).
    mutating func apply(_ append: EncodedAppend) throws -> AppendResult {
        // Claim the ids first. Time-ordered ids usually sort after every id in the index, so
        // an append-put (no search) succeeds; otherwise a no-overwrite put decides. An id
        // already there means a retry (or a conflict): undo the claims and answer from the log.
        for (i, id) in append.ids.enumerated() {
            let seq = head.seq + 1 + UInt64(i)
            do {
                try ids.put(idKey(id), seq, flags: .append)
            } catch let error as LMDBError where error == .keyExists {
                do {
                    try txn.put(storage.ids, idKey(id), seq, flags: .noOverwrite)
                } catch let error as LMDBError where error == .keyExists {
                    for claimed in append.ids[..<i] { try txn.delete(storage.ids, idKey(claimed)) }
                    return AppendResult(positions: try storage.replayedPositions(of: append, txn), alreadyRecorded: true)
                }
            }
        }
        let count = try cases.valueCount(of: append.stream.rawValue)
        let actual: UInt32? = count == 0 ? nil : UInt32(count - 1)
        switch append.expected {
        case .any: break
        case .noStream where count == 0: break
        case .exact(let v) where actual == v: break
        default:
            for id in append.ids { try txn.delete(storage.ids, idKey(id)) }
            throw LedgerError.wrongExpectedVersion(stream: append.stream, expected: append.expected, actual: actual)
        }
        var positions: [Position] = []
        positions.reserveCapacity(append.count)
        var head = self.head
        try append.forEachBody { i, body in
            let seq = head.seq + 1
            let version = UInt32(count + i)
            var hash = ChainHash.genesis
            // The record is written straight into LMDB's page: body, version patched in, the
            // previous hash, and the hash of both.
            try log.put(seq, reserving: body.count + RecordFormat.trailerSize, flags: .append) { out in
                out.copyMemory(from: body)
                out.storeBytes(of: version.littleEndian, toByteOffset: RecordFormat.versionOffset, as: UInt32.self)
                hash = head.hash.linking(UnsafeRawBufferPointer(rebasing: out[..<body.count]))
                head.hash.withBytes { UnsafeMutableRawBufferPointer(rebasing: out[body.count...]).copyMemory(from: $0) }
                hash.withBytes { UnsafeMutableRawBufferPointer(rebasing: out[(body.count + 32)...]).copyMemory(from: $0) }
                tree.add(UnsafeRawBufferPointer(out))
            }
            try tree.handOffWhenFull()
            try cases.put(append.stream.rawValue, seq, flags: .appendDuplicate)
            head = ChainDigest(seq: seq, hash: hash)
            positions.append(Position(seq: seq, version: version))
        }
        self.head = head
        return AppendResult(positions: positions, alreadyRecorded: false)
    }
}

extension LogStorage {
    /// The original positions when every event of the append is already recorded with the same
    /// content. Throws when only some are, or one differs.
    func replayedPositions(of append: EncodedAppend, _ txn: ReadTransaction) throws -> [Position] {
        var recorded: [(id: UUID, position: Position)] = []
        try append.forEachBody { i, body in
            let id = append.ids[i]
            guard let seq = try txn.get(ids, idKey(id)) else { return }
            let version = try withRecord(seq: seq, txn) { view -> UInt32 in
                guard view.hasSameContent(asBody: body) else { throw LedgerError.idConflict(id: id, seq: seq) }
                return view.version
            }
            guard let version else { throw LedgerError.corruptRecord(seq: seq, reason: "indexed by id but missing") }
            recorded.append((id, Position(seq: seq, version: version)))
        }
        guard recorded.count == append.count else {
            throw LedgerError.partialRetry(id: recorded[0].id, seq: recorded[0].position.seq)
        }
        return recorded.map(\.position)
    }
}

@inline(__always)
func idKey(_ id: UUID) -> EventIDKey { EventIDKey(id: id) }

/// An event id as a key of the `ids` database: its 16 bytes, without a heap copy.
struct EventIDKey: LMDBBytes {
    let id: UUID
    init(id: UUID) { self.id = id }
    init(lmdbBytes: UnsafeRawBufferPointer) throws(LMDBError) {
        guard lmdbBytes.count == 16 else { throw LMDBError(code: -30_781, operation: "decode event id") }
        id = UUID(uuid: lmdbBytes.loadUnaligned(as: uuid_t.self))
    }
    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: id.uuid, body)
    }
}
