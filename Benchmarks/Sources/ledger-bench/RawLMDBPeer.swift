import LMDB

/// The limit: the same record bytes put into one LMDB database under their seq, batch by batch,
/// each batch one durable commit — no indexes, no checks, no hashing.
enum RawLMDBPeer {
    static func bulk(records: RecordSet, batches: [Int], directory: String) throws -> Double {
        let env = try Environment(path: directory, configuration: EnvironmentConfiguration(mapSize: 1 << 30))
        let log: Database<UInt64, [UInt8]> = try env.openDatabase("log")
        let start = nanoseconds()
        var next = 0
        for size in batches {
            let end = next + size
            try env.write { txn in
                for i in next ..< end {
                    try records.withRecord(i) { bytes in
                        try txn.put(log, UInt64(i + 1), reserving: bytes.count, flags: .append) { $0.copyMemory(from: bytes) }
                    }
                }
            }
            next = end
        }
        return Double(records.count) / secondsSince(start)
    }
}
