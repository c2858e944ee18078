import CLMDB
#if canImport(Glibc)
import Glibc
#endif

extension LMDBError {
    /// The data file is damaged: refused before mapping, or liblmdb met a page that is not what
    /// its parent says (wrong type, missing, impossible sizes). Retrying cannot help; the store
    /// needs `verify` and `repair`, or a restore.
    public var isDamage: Bool {
        damage != nil || [MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_BAD_VALSIZE, MDB_INVALID, MDB_VERSION_MISMATCH].contains(code)
    }

    /// The file system is full (or over quota): nothing more can be written there.
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    /// The file system is mounted read-only, or the files cannot be written.
    public var isReadOnlyFileSystem: Bool { code == EROFS || code == EACCES || code == EPERM }
}

/// Free bytes for an unprivileged writer on the file system holding `path` (nil when unknown).
func availableBytes(at path: String) -> Int? {
    var fs = statvfs()
    guard statvfs(path, &fs) == 0 else { return nil }
    return Int(fs.f_bavail) * Int(fs.f_frsize)
}

/// liblmdb reports a short write as EIO; when the file system is (nearly) full, that is what
/// happened, and the person at the terminal needs to hear "disk full".
func namingDiskFull(_ error: LMDBError, directory: String) -> LMDBError {
    guard error.code == EIO, let free = availableBytes(at: directory), free < 1 << 20 else { return error }
    return LMDBError(code: ENOSPC, operation: error.operation)
}
