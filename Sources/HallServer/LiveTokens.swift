import Foundation
import Logging
import Synchronization

/// The tokens a running server accepts. With a tokens file they follow it: each request that
/// presents a token checks the file's identity (device, inode, size, change and modification
/// times — one `stat`) and re-reads it when it changed, so `ledger token revoke` takes effect on
/// the next request, without a restart. A file that can no longer be used (mode loosened, not
/// JSON) admits no token at all until it is fixed: failing closed, and logged.
final class LiveTokens: Sendable {
    private struct State {
        var authority: TokenAuthority
        /// The file as last read; nil before the first check.
        var stamp: FileStamp?
    }
    private let file: TokenFile?
    private let state: Mutex<State>
    /// Held while the server rewrites the file, so two admins' changes never overwrite each other.
    private let writing = Mutex(())
    private let logger = Logger(label: "ledger.hall.tokens")

    /// Fixed tokens (an embedder's, a test's), or those of `file` from the first request on.
    init(_ authority: TokenAuthority, following file: TokenFile? = nil) {
        self.file = file
        state = Mutex(State(authority: authority, stamp: nil))
    }

    /// Changes the tokens file (the admin's API) and reads it again at once, so a revoked token is
    /// refused from the very next request even when the rewrite left the file's stamp unchanged.
    /// - Throws: `HallError` 409 when the server follows no tokens file (fixed tokens).
    func change<R: Sendable>(_ body: (TokenFile) throws -> R) throws -> R {
        let file = try followedFile()
        return try writing.withLock { _ in
            let result = try body(file)
            state.withLock { $0.stamp = nil }
            return result
        }
    }

    /// The file the tokens follow; 409 for a server with fixed tokens.
    func followedFile() throws -> TokenFile {
        guard let file else {
            throw HallError(.conflict, "no_tokens_file", "this server was started with fixed tokens, not a tokens file; manage them where it was built")
        }
        return file
    }

    /// The tokens in force now.
    func current() -> TokenAuthority {
        guard let file else { return state.withLock { $0.authority } }
        let stamp = FileStamp(path: file.path)
        return state.withLock { state in
            guard state.stamp == nil || state.stamp != stamp else { return state.authority }
            state.stamp = stamp
            do {
                state.authority = TokenAuthority(records: try file.load())
            } catch {
                state.authority = TokenAuthority(records: [])
                logger.error("the tokens file can no longer be used; no token is accepted until it is fixed",
                             metadata: ["error": "\(error)"])
            }
            return state.authority
        }
    }
}

/// What says a file changed: it was replaced (device, inode), rewritten (size, modification
/// time) or had its mode changed (change time). An absent file has no stamp fields.
struct FileStamp: Equatable, Sendable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = -1
    var modified: timespec = timespec()
    var changed: timespec = timespec()

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }
}
