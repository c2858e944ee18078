// Throughput of the ledger's two write paths, on a release build:
//   bulk   — one writer appending batches of events (what import does), events/s
//   durable — N concurrent appenders, each appending single events and waiting until each is
//             on disk (fsync), events/s: group commit at work
// Medians over repetitions, each on a fresh store in a temporary directory.
import Foundation
import Ledger

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

func freshStore() throws -> (EventStore, String) {
    let dir = NSTemporaryDirectory() + "ledger-bench-\(UUID().uuidString)"
    return (try EventStore(directory: dir, options: .init(initialMapSize: 1 << 30)), dir)
}

/// A payload the size of a typical stored case event (~150 bytes).
let payload = [UInt8]((0 ..< 150).map { UInt8(truncatingIfNeeded: $0 &* 31) })

func event(_ i: Int) -> NewEvent {
    NewEvent(type: .visited, at: Timestamp(milliseconds: 1_690_000_000_000 + Int64(i)), actor: "clerk-07", payload: payload)
}

func bulk(events: Int, batch: Int) async throws -> Double {
    let (store, dir) = try freshStore()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let eventsPerCase = 8
    var requests: [AppendRequest] = []
    for c in 0 ..< events / eventsPerCase {
        requests.append(AppendRequest(caseNumber: try CaseNumber("LZH-2023-\(String(format: "%06d", c))"), expected: .noStream,
                                      events: (0 ..< eventsPerCase).map { event(c * eventsPerCase + $0) }))
    }
    let perBatch = max(1, batch / eventsPerCase)
    let elapsed = try await seconds {
        var i = 0
        while i < requests.count {
            _ = try await store.appendAll(Array(requests[i ..< min(i + perBatch, requests.count)]))
            i += perBatch
        }
    }
    return Double(events) / elapsed
}

func durable(writers: Int, eventsEach: Int) async throws -> Double {
    let (store, dir) = try freshStore()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let elapsed = try await seconds {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0 ..< writers {
                group.addTask {
                    let caseNumber = try CaseNumber("BENCH-\(w)")
                    for i in 0 ..< eventsEach {
                        _ = try await store.append(to: caseNumber, expected: i == 0 ? .noStream : .exact(UInt32(i - 1)),
                                                   events: [event(i)])
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    return Double(writers * eventsEach) / elapsed
}

let arguments = CommandLine.arguments
let smoke = arguments.contains("--smoke")
let repetitions = smoke ? 1 : 5
let bulkEvents = smoke ? 20_000 : 1_000_000

print("ledger-bench: medians of \(repetitions) runs (release build recommended)")
var bulkRuns: [Double] = []
for _ in 0 ..< repetitions { bulkRuns.append(try await bulk(events: bulkEvents, batch: 8192)) }
print(String(format: "bulk append, %d events, batches of 8192: %.0f events/s (min %.0f, max %.0f)",
             bulkEvents, median(bulkRuns), bulkRuns.min()!, bulkRuns.max()!))
for writers in smoke ? [1, 32] : [1, 8, 32, 128] {
    var runs: [Double] = []
    let each = smoke ? 20 : max(50, 6400 / writers)
    for _ in 0 ..< repetitions { runs.append(try await durable(writers: writers, eventsEach: each)) }
    print(String(format: "durable append, %3d concurrent writers × %d events: %.0f events/s (min %.0f, max %.0f)",
                 writers, each, median(runs), runs.min()!, runs.max()!))
}
