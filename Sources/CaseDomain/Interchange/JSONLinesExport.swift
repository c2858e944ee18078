import Foundation
import Ledger

extension EventStore {
    /// Writes the log from `seq` on as JSON Lines, in seq order, handing `write` chunks of about
    /// 1 MiB. Importing the output into an empty store rebuilds the same chain (same digest).
    /// - Returns: the number of events written.
    @discardableResult
    public func exportJSONLines(from seq: UInt64 = 1, write: ([UInt8]) throws -> Void) throws -> Int {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20 + 4096)
        var count = 0
        try scan(from: seq) { view in
            let data = try view.data()
            chunk.append(contentsOf: InterchangeEvent.line(id: view.id, caseNumber: String(decoding: view.streamBytes, as: UTF8.self),
                                                           type: try view.type, at: view.at, actor: view.actor, data: data))
            chunk.append(10)
            count += 1
            if chunk.count >= 1 << 20 {
                try write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
            return true
        }
        if !chunk.isEmpty { try write(chunk) }
        return count
    }
}
