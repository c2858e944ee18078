import Foundation
import LMDB

/// An append whose records were encoded on the caller's thread; the writer only checks,
/// numbers, hashes and stores them.
struct EncodedAppend: Sendable {
    var request: AppendRequest
    var bodies: [[UInt8]]

    init(_ request: AppendRequest) throws(LedgerError) {
        guard !request.events.isEmpty else { throw .emptyAppend(request.caseNumber) }
        if request.events.count > 1 {
            var seen = Set<UUID>(minimumCapacity: request.events.count)
            for event in request.events where !seen.insert(event.id).inserted {
                throw .duplicateIdInAppend(event.id)
            }
        }
        self.request = request
        bodies = []
        bodies.reserveCapacity(request.events.count)
        for event in request.events {
            bodies.append(try RecordFormat.encodeBody(caseNumber: request.caseNumber, event: event))
        }
    }
}

extension LogStorage {
    /// Checks one append against the log and writes it, inside the writer's transaction.
    /// Nothing is written unless every check passes. `head` advances past the written events.
    func apply(_ append: EncodedAppend, head: inout ChainDigest, _ txn: WriteTransaction) throws -> AppendResult {
        let request = append.request
        if let replay = try replayedPositions(of: request, txn) {
            return AppendResult(positions: replay, alreadyRecorded: true)
        }
        let count = try eventCount(of: request.caseNumber, txn)
        let actual: UInt32? = count == 0 ? nil : UInt32(count - 1)
        switch request.expected {
        case .any: break
        case .noStream where count == 0: break
        case .exact(let v) where actual == v: break
        default:
            throw LedgerError.wrongExpectedVersion(case: request.caseNumber, expected: request.expected, actual: actual)
        }
        var positions: [Position] = []
        positions.reserveCapacity(append.bodies.count)
        for (i, body) in append.bodies.enumerated() {
            let seq = head.seq + 1
            let version = UInt32(count + i)
            var hash = ChainHash.genesis
            // The record is written straight into LMDB's page: body, version patched in, the
            // previous hash, and the hash of both.
            try txn.put(log, seq, reserving: body.count + RecordFormat.trailerSize, flags: .append) { out in
                body.withUnsafeBytes { out.copyMemory(from: $0) }
                out.storeBytes(of: version.littleEndian, toByteOffset: RecordFormat.versionOffset, as: UInt32.self)
                hash = head.hash.linking(UnsafeRawBufferPointer(rebasing: out[..<body.count]))
                head.hash.withBytes { UnsafeMutableRawBufferPointer(rebasing: out[body.count...]).copyMemory(from: $0) }
                hash.withBytes { UnsafeMutableRawBufferPointer(rebasing: out[(body.count + 32)...]).copyMemory(from: $0) }
            }
            try txn.put(cases, request.caseNumber.rawValue, seq, flags: .appendDuplicate)
            try txn.put(ids, idKey(request.events[i].id), seq, flags: .noOverwrite)
            head = ChainDigest(seq: seq, hash: hash)
            positions.append(Position(seq: seq, version: version))
        }
        return AppendResult(positions: positions, alreadyRecorded: false)
    }

    /// The original positions when every event of the request is already recorded with the same
    /// content; nil when none is. Throws when only some are, or one differs.
    private func replayedPositions(of request: AppendRequest, _ txn: ReadTransaction) throws -> [Position]? {
        var recorded: [(id: UUID, position: Position)] = []
        for event in request.events {
            guard let seq = try txn.get(ids, idKey(event.id)) else { continue }
            let version = try withRecord(seq: seq, txn) { view -> UInt32 in
                guard view.hasSameContent(as: event, caseNumber: request.caseNumber) else {
                    throw LedgerError.idConflict(id: event.id, seq: seq)
                }
                return view.version
            }
            guard let version else { throw LedgerError.corruptRecord(seq: seq, reason: "indexed by id but missing") }
            recorded.append((event.id, Position(seq: seq, version: version)))
        }
        if recorded.isEmpty { return nil }
        guard recorded.count == request.events.count else {
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
