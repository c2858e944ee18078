import Foundation

extension EncodedAppend {
    /// Below this many events a batch is encoded on the caller's thread alone: splitting it would
    /// cost more than it saves.
    static let parallelThreshold = 2_048

    /// Encodes a batch of appends, on every core when the batch is large. Each request's payload
    /// checks and record bodies depend on nothing else, and they are a third of a bulk append's
    /// time; the writer then only numbers, hashes and stores. A refusal is reported for the
    /// first refused request, as a serial encoding would.
    static func encodeAll(_ requests: [AppendRequest], codec: any EventCodec) throws(BatchAppendError) -> [EncodedAppend] {
        let eventCount = requests.reduce(0) { $0 + $1.events.count }
        let chunks = eventCount < parallelThreshold ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, requests.count)
        if chunks <= 1 { return try encode(requests[...], codec: codec) }
        let results = ChunkResults(count: chunks)
        defer { results.free() }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = requests.count * chunk / chunks ..< requests.count * (chunk + 1) / chunks
            results.set(chunk, Result { () throws(BatchAppendError) in try encode(requests[range], codec: codec) })
        }
        var encoded: [EncodedAppend] = []
        encoded.reserveCapacity(requests.count)
        for chunk in 0 ..< chunks { encoded += try results.get(chunk).get() }
        return encoded
    }

    /// One slot per chunk. Shared by the concurrent iterations, each writing only its own slot,
    /// and read after all of them have returned: no two threads ever touch the same slot.
    private struct ChunkResults: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<Result<[EncodedAppend], BatchAppendError>>
        init(count: Int) { slots = .allocate(capacity: count) }
        func set(_ chunk: Int, _ result: Result<[EncodedAppend], BatchAppendError>) { (slots.baseAddress! + chunk).initialize(to: result) }
        func get(_ chunk: Int) -> Result<[EncodedAppend], BatchAppendError> { slots[chunk] }
        func free() { slots.deinitialize().deallocate() }
    }

    private static func encode(_ requests: ArraySlice<AppendRequest>, codec: any EventCodec) throws(BatchAppendError) -> [EncodedAppend] {
        var encoded: [EncodedAppend] = []
        encoded.reserveCapacity(requests.count)
        for index in requests.indices {
            do { encoded.append(try EncodedAppend(requests[index], codec: codec)) } catch { throw BatchAppendError(index: index, error: error) }
        }
        return encoded
    }
}
