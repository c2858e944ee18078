import CLMDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// Writes a consistent copy of the environment to `directory/data.mdb` while other threads
    /// and processes keep reading and writing (LMDB copies one read snapshot). With `compact`,
    /// free pages are left out and the pages renumbered.
    /// - Throws: `LMDBError`; `EEXIST` when `directory` already holds a `data.mdb`.
    public func copy(to directory: String, compact: Bool = true) throws(LMDBError) {
        let file = directory + "/data.mdb"
        while true {
            let code = withResizeLockShared { mdb_env_copy2(handle, directory, compact ? UInt32(MDB_CP_COMPACT) : 0) }
            if code == MDB_SUCCESS { return }
            guard code == MDB_MAP_RESIZED else {
                if code != EEXIST { unlink(file) }
                throw namingDiskFull(LMDBError(code: code, operation: "copy the environment to \(directory)"), directory: directory)
            }
            // Another process grew the map: adopt its size and copy again.
            unlink(file)
            try adoptGrownMap()
        }
    }
}
