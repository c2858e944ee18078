// Child process of the crash-safety test: appends batches in a loop to the store given as the
// first argument and prints each acknowledged batch as "seq version count case" on stdout,
// flushed, so the parent knows what was acknowledged when it sends SIGKILL.
import Foundation
import Ledger

let arguments = CommandLine.arguments
guard arguments.count >= 3, let workers = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: ledger-crash-writer STORE WORKERS\n".utf8))
    exit(2)
}
let store = try EventStore(directory: arguments[1])
setvbuf(stdout, nil, _IOLBF, 0)
let printLock = NSLock()

let threads = (0 ..< workers).map { worker in
    Thread {
        var batch = 0
        while true {
            batch += 1
            let caseNumber = try! CaseNumber("CRASH-\(getpid())-\(worker)-\(batch)")
            let size = 1 + batch % 4
            let events = (0 ..< size).map { i in
                NewEvent(type: .visited, at: Timestamp(milliseconds: 1_700_000_000_000 + Int64(i)),
                         actor: "crash-writer", payload: Array(repeating: UInt8(truncatingIfNeeded: i), count: 100))
            }
            let result = try! store.appendAndWait(to: caseNumber, expected: .noStream, events: events)
            printLock.withLock {
                print("\(result.positions[0].seq) \(size) \(caseNumber)")
            }
        }
    }
}
threads.forEach { $0.start() }
while true { sleep(60) }
