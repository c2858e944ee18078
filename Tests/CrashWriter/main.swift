// Child process of the crash-safety test: appends batches in a loop to the store given as the
// first argument and prints each acknowledged batch as "firstSeq count caseNumber" on stdout,
// one write(2) per line, so the parent knows what was acknowledged when it sends SIGKILL.
//
// Worker w's batch b goes to case CRASH-<pid>-<w>-<b> with .noStream and holds 1 + b % 4 events.
import Foundation
import Ledger

/// Writes one line to stdout with a single unbuffered write (atomic on a pipe below PIPE_BUF).
func acknowledge(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Every payload is readable to this writer, which appends opaque bytes.
struct AnyPayloadCodec: EventCodec {
    func check(type: EventTypeCode, payload: UnsafeRawBufferPointer) throws(ByteDecodingError) {}
    func name(of type: EventTypeCode) -> String? { nil }
}

func runWriter(directory: String, workers: Int) throws -> Never {
    let store = try EventStore(directory: directory, codec: AnyPayloadCodec())
    let pid = getpid()
    let threads = (0 ..< workers).map { worker in
        Thread {
            var batch = 0
            while true {
                batch += 1
                let caseNumber = try! StreamID("CRASH-\(pid)-\(worker)-\(batch)")
                let size = 1 + batch % 4
                let events = (0 ..< size).map { i in
                    NewEvent(type: EventTypeCode(12), at: Timestamp(milliseconds: 1_700_000_000_000 + Int64(i)),
                             actor: "crash-writer", payload: Array(repeating: UInt8(truncatingIfNeeded: i), count: 100))
                }
                let result = try! store.appendAndWait(to: caseNumber, expected: .noStream, events: events)
                acknowledge("\(result.positions[0].seq) \(size) \(caseNumber)")
            }
        }
    }
    threads.forEach { $0.start() }
    while true { sleep(60) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let workers = Int(arguments[2]), workers > 0 else {
    FileHandle.standardError.write(Data("usage: ledger-crash-writer STORE WORKERS\n".utf8))
    exit(2)
}
try runWriter(directory: arguments[1], workers: workers)
