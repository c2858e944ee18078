import Foundation
import LMDB
import Ledger

/// The log position a view was built to: its checkpoint's seq and the chain hash there
/// (database `anchors` of the views environment; key = projection name for the live generation,
/// name + `LogAnchor.buildingSuffix` for a generation being rebuilt).
///
/// A checkpoint alone trusts that the log only grows. When the log is replaced by another — an
/// older copy restored, a backup of another store — the seq may still exist with other events at
/// it, or not exist at all. The hash tells: a view whose anchor is not in the log is rebuilt.
struct LogAnchor: Equatable, Sendable {
    var seq: UInt64
    var hash: ChainHash

    static let buildingSuffix = "+building"
    static let size = 40

    var bytes: [UInt8] {
        var out = withUnsafeBytes(of: seq.littleEndian) { Array($0) }
        out.append(contentsOf: hash.bytes)
        return out
    }

    /// Nil when the bytes are not an anchor (a damaged views file).
    init?(bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count == LogAnchor.size else { return nil }
        seq = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        hash = bytes[8...].withUnsafeBytes { ChainHash(bytes: $0) }
    }

    init(seq: UInt64, hash: ChainHash) {
        self.seq = seq
        self.hash = hash
    }

    static func key(_ name: String, building: Bool) -> String { building ? name + buildingSuffix : name }
}

/// A view found not built on the log it is opened with.
public struct ViewReset: Sendable, Equatable, CustomStringConvertible {
    public var projection: String
    public var checkpoint: UInt64
    public var head: UInt64
    public var description: String {
        checkpoint > head
            ? "view \(projection) was built to seq \(checkpoint), beyond this log's head \(head) (an older log was restored): rebuilding it from the log"
            : "view \(projection) was built on another log (the event at its checkpoint seq \(checkpoint) differs): rebuilding it from the log"
    }
}

extension EventStore {
    /// Whether the log holds `anchor`: an event at its seq with its hash (seq 0: always).
    func holds(_ anchor: LogAnchor) throws -> Bool {
        if anchor.seq == 0 { return true }
        return try withEvents(from: anchor.seq, limit: 1) { events in
            events.first.map { $0.seq == anchor.seq && $0.hash == anchor.hash } ?? false
        }
    }
}
