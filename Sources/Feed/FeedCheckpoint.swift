import Ledger
import Logging
import PostgresNIO

/// The feed's row in `feed_checkpoints`: the last shipped seq and its chain hash, and the seq the
/// shipped read models reflect.
struct FeedCheckpoint {
    var digest: ChainDigest
    var modelsSeq: UInt64

    static func read(_ connection: PostgresConnection, ledgerID: String, logger: Logger) async throws -> FeedCheckpoint {
        let rows = try await connection.query(
            "SELECT seq, hash, models_seq FROM feed_checkpoints WHERE ledger_id = \(ledgerID)", logger: logger)
        for try await (seq, hash, modelsSeq) in rows.decode((Int64, ByteBuffer, Int64).self) {
            guard hash.readableBytes == 32 else { break }
            let chainHash = hash.withUnsafeReadableBytes { ChainHash(bytes: $0) }
            return FeedCheckpoint(digest: ChainDigest(seq: UInt64(seq), hash: chainHash), modelsSeq: UInt64(modelsSeq))
        }
        return FeedCheckpoint(digest: ChainDigest(seq: 0, hash: .genesis), modelsSeq: 0)
    }

    /// Locks the ledger's row for the transaction and returns its seq and the seq its read models reflect.
    static func lock(_ connection: PostgresConnection, ledgerID: String,
                     logger: Logger) async throws -> (seq: UInt64, modelsSeq: UInt64) {
        let rows = try await connection.query(
            "SELECT seq, models_seq FROM feed_checkpoints WHERE ledger_id = \(ledgerID) FOR UPDATE", logger: logger)
        for try await (seq, modelsSeq) in rows.decode((Int64, Int64).self) { return (UInt64(seq), UInt64(modelsSeq)) }
        return (0, 0)
    }

    static func write(_ connection: PostgresConnection, ledgerID: String, digest: ChainDigest, modelsSeq: UInt64,
                      logger: Logger) async throws {
        let hash = ByteBuffer(bytes: digest.hash.bytes)
        try await connection.query("""
            UPDATE feed_checkpoints SET seq = \(Int64(digest.seq)), hash = \(hash), models_seq = \(Int64(modelsSeq)),
                   shipped_at = now()
            WHERE ledger_id = \(ledgerID)
            """, logger: logger)
    }
}
