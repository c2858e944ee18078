import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `views/writer.lock`, held while a process catches the views up or
/// rebuilds them. LMDB serialises single transactions; a rebuild is many (new generation,
/// batches, switch-over), and two of them interleaved leave neither finished. The lock is
/// released by the kernel when the process dies, so a killed rebuild blocks nobody.
final class ViewsWriterLock: Sendable {
    private let descriptor: Int32

    init(directory: String) throws {
        let path = directory + "/writer.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, path: path) }
    }

    deinit { close(descriptor) }

    /// Runs `body` holding the lock; waits while another process holds it.
    func withLock<R>(_ body: () throws -> R) throws -> R {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, path: "views/writer.lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

extension POSIXError {
    init(_ code: POSIXErrorCode, path: String) {
        self.init(code, userInfo: [NSFilePathErrorKey: path])
    }
}
