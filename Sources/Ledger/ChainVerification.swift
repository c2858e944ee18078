import Foundation
import LMDB
import Synchronization

/// A stretch of the log that `verify` checks on its own: the chain from the stored hash before
/// it, the tree from the stored subtrees before it. The stretch before it checks that hash and
/// those subtrees, so the stretches together check what one pass over the whole range would, on
/// every core: with the chain and the tree each on a thread of their own, one pass leaves the
/// shorter of the two waiting on the longer.
struct VerificationSegment: Sendable {
    let first: UInt64
    let last: UInt64

    /// Splits `first…last` into up to one segment a core, each at least `minimum` records. Every
    /// inner boundary follows a whole subtree of the lowest stored level, so each segment's tree
    /// check starts on stored subtrees alone.
    static func split(first: UInt64, last: UInt64, cores: Int, minimum: UInt64) -> [VerificationSegment] {
        guard last >= first else { return [VerificationSegment(first: first, last: last)] }
        let count = last - first + 1
        let parts = UInt64(max(1, min(cores, 8, Int(count / minimum))))
        let unit = UInt64(1) << UInt64(TreeNodeKey.lowestStoredLevel)
        var segments: [VerificationSegment] = []
        var start = first
        for part in 1 ... parts {
            let end = part == parts ? last : (first - 1 + count * part / parts) / unit * unit
            if end >= start {
                segments.append(VerificationSegment(first: start, last: end))
                start = end + 1
            }
        }
        return segments
    }
}

/// The chain half of `verify` over one segment: re-hashes each record, checks its link to the one
/// before, and keeps the hash at a published seq. The first segment runs on the calling thread,
/// each other one on a thread of its own; `done` counts records checked, for progress.
final class ChainCheck: Sendable {
    struct Result {
        var failure: VerificationFailure?
        /// A failure to read the store at all (not a finding about the log): `verify` rethrows it.
        var error: (any Error)?
        /// The chain hash at `publishedSeq`, when it lies in the segment.
        var hashAtPublished: ChainHash?
        /// The chain hash of the segment's last record.
        var last: ChainHash = .genesis
    }

    let done = Atomic<UInt64>(0)

    /// Starts checking `segment` on a thread of its own, from the stored hash of the record
    /// before it: the check (for its progress) and its result to come.
    static func start(_ storage: LogStorage, _ segment: VerificationSegment,
                      publishedSeq: UInt64?) -> (check: ChainCheck, result: PendingResult<Result>) {
        let check = ChainCheck()
        return (check, .onThread(named: "ledger-verify-chain") { check.run(storage, segment, from: nil, publishedSeq: publishedSeq) })
    }

    /// Checks `segment` on this thread from `start` (nil: the stored hash of the record before
    /// it), calling `tick` after every 65,536 records.
    func run(_ storage: LogStorage, _ segment: VerificationSegment, from start: ChainHash?, publishedSeq: UInt64?,
             tick: () -> Void = {}) -> Result {
        var result = Result()
        do {
            try storage.environment.read { txn in
                var previous: ChainHash
                if let start { previous = start } else {
                    guard let hash = try storage.withRecord(seq: segment.first - 1, txn, { $0.hash }) else {
                        throw VerificationFailure(seq: segment.first - 1, kind: .gap)
                    }
                    previous = hash
                }
                var expected = segment.first
                try txn.withCursor(storage.log) { cursor in
                    var entry = try cursor.seek(atLeast: segment.first)
                    while let (key, value) = entry, expected <= segment.last {
                        let seq = try UInt64(lmdbBytes: key)
                        guard seq == expected else { throw VerificationFailure(seq: expected, kind: .gap) }
                        let view: EventView
                        do { view = try EventView(seq: seq, record: value) } catch {
                            throw VerificationFailure(seq: seq, kind: .unreadable("\(error)"))
                        }
                        guard view.previousHash == previous else { throw VerificationFailure(seq: seq, kind: .brokenLink) }
                        let hash = previous.linking(view.body)
                        guard hash == view.hash else { throw VerificationFailure(seq: seq, kind: .hashMismatch) }
                        if publishedSeq == seq { result.hashAtPublished = hash }
                        previous = hash
                        expected += 1
                        if (expected - segment.first) % 65_536 == 0 {
                            done.store(expected - segment.first, ordering: .relaxed)
                            tick()
                        }
                        entry = try cursor.next()
                    }
                }
                if expected <= segment.last { throw VerificationFailure(seq: expected, kind: .gap) }
                done.store(expected - segment.first, ordering: .relaxed)
                result.last = previous
            }
        } catch let failure as VerificationFailure {
            result.failure = failure
        } catch {
            result.error = error
        }
        return result
    }
}
