import Foundation
import LMDB

extension LogStorage {
    /// Creates the store's data file, when there is none, with its databases already in it.
    ///
    /// LMDB writes a new `data.mdb` in two steps: its meta pages when the environment opens, its
    /// databases at the first commit. A process killed in between leaves a file that is an
    /// environment but not a store (reading it fails: no `log` database). So the file is made
    /// complete in a directory of its own, then linked into place in one step — `link` fails
    /// when another process got there first, and then that process's file is used.
    static func createIfAbsent(directory: String, configuration: EnvironmentConfiguration) throws {
        let target = directory + "/data.mdb"
        guard !FileManager.default.fileExists(atPath: target) else { return }
        let staging = directory + "/.creating-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            let environment = try Environment(path: staging, configuration: configuration)
            try environment.write { txn in
                let _: Database<UInt64, [UInt8]> = try txn.openDatabase("log")
                let _: Database<String, UInt64> = try txn.openDatabase("cases", flags: [.dupSort, .dupFixed])
                let _: Database<EventIDKey, UInt64> = try txn.openDatabase("ids")
                let meta: Database<String, UInt32> = try txn.openDatabase("meta")
                try txn.put(meta, "format", LogStorage.storeFormat)
            }
            try environment.sync()
        }
        if link(staging + "/data.mdb", target) != 0 && errno != EEXIST {
            throw LMDBError(code: errno, operation: "create \(target)")
        }
    }
}
