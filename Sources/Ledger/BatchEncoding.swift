import Foundation
import Synchronization

/// An all-or-nothing batch of appends, encoded in chunks of consecutive requests. A large batch is
/// encoded while the writer already stores the chunks that are done: each request's payload
/// checks and record bodies depend on nothing else, and encoding them first was a fifth of a bulk
/// append's time, which the writer spent waiting.
///
/// A refusal names the first refused request in the batch's order, as if every request were
/// encoded and then checked against the log one after another: a chunk that fails to encode is
/// written up to the refused request, so an earlier request the log refuses is named instead.
final class EncodedBatch: Sendable {
    /// Below this many events a batch is encoded whole before it is handed to the writer: cutting
    /// it into chunks would cost more than it saves.
    static let chunkingThreshold = 2_048
    /// Requests per chunk of a large batch: small enough that the writer starts soon after the
    /// batch does, large enough that handing a chunk over costs nothing next to encoding it.
    static let chunkRequests = 256

    /// One chunk's appends, encoded in order up to its first refusal, if any.
    struct Chunk: Sendable {
        /// Index in the batch of the chunk's first request.
        let first: Int
        let appends: [EncodedAppend]
        let refusal: BatchAppendError?
    }

    let requestCount: Int
    private let chunks: [PendingResult<Chunk>]
    private let work: ChunkWork?

    /// Encodes a small batch at once; a large one is only cut into chunks, for `encodeBesideWriter`.
    init(_ requests: [AppendRequest], codec: any EventCodec) {
        requestCount = requests.count
        let eventCount = requests.reduce(0) { $0 + $1.events.count }
        if eventCount < Self.chunkingThreshold {
            chunks = [.ready(Self.encode(requests[...], codec: codec))]
            work = nil
        } else {
            let count = (requests.count + Self.chunkRequests - 1) / Self.chunkRequests
            chunks = (0 ..< count).map { _ in PendingResult() }
            work = ChunkWork(requests: requests, codec: codec)
        }
    }

    /// Encodes the chunks still to do, in order, on this thread and on one worker for each core
    /// beyond three, and returns once this thread finds none left to take. The writer consumes
    /// the chunks meanwhile, waiting for each one it reaches. One core is the writer's and one the
    /// tree's hashing: on two cores, encoders beside them only slowed the writer (measured), and
    /// one encoder keeps ahead of it.
    func encodeBesideWriter(cores: Int) {
        guard let work else { return }
        let helpers = min(cores - 3, chunks.count - 1)
        for _ in 0 ..< max(helpers, 0) {
            DispatchQueue.global(qos: .userInitiated).async { self.encodeChunks(work) }
        }
        encodeChunks(work)
    }

    private func encodeChunks(_ work: ChunkWork) {
        while true {
            let index = work.next.add(1, ordering: .relaxed).oldValue
            guard index < chunks.count else { return }
            let start = index * Self.chunkRequests
            let range = start ..< min(start + Self.chunkRequests, work.requests.count)
            chunks[index].fulfil(Self.encode(work.requests[range], codec: work.codec))
        }
    }

    /// Calls `body` with each chunk, in order, once it is encoded.
    func forEachChunk(_ body: (Chunk) throws -> Void) rethrows {
        for chunk in chunks { try body(chunk.wait()) }
    }

    /// Encodes `requests` in order, stopping at the first one refused.
    private static func encode(_ requests: ArraySlice<AppendRequest>, codec: any EventCodec) -> Chunk {
        var encoded: [EncodedAppend] = []
        encoded.reserveCapacity(requests.count)
        for index in requests.indices {
            do {
                encoded.append(try EncodedAppend(requests[index], codec: codec))
            } catch {
                return Chunk(first: requests.startIndex, appends: encoded, refusal: BatchAppendError(index: index, error: error))
            }
        }
        return Chunk(first: requests.startIndex, appends: encoded, refusal: nil)
    }

    /// What the encoding threads share: the requests and the next chunk to take.
    private final class ChunkWork: Sendable {
        let requests: [AppendRequest]
        let codec: any EventCodec
        let next = Atomic<Int>(0)
        init(requests: [AppendRequest], codec: any EventCodec) {
            self.requests = requests
            self.codec = codec
        }
    }
}
