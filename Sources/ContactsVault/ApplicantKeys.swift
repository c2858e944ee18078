import Crypto
import Foundation

/// Each applicant's own AES-256 key, one file each: `DIR/<pseudonym>.key`, 32 raw bytes, mode
/// 0600, in a directory of mode 0700. A plain file rather than an LMDB record because erasing
/// must leave no copy behind: LMDB writes a changed page elsewhere and keeps the old one on its
/// free list, while a file can be overwritten in place with zeros, synced and unlinked.
struct ApplicantKeys: Sendable {
    let directory: String

    init(directory: String) throws(VaultError) {
        self.directory = directory
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .keyFile(path: directory, reason: "cannot be created (\(String(cString: strerror(errno))))")
        }
    }

    private func path(of pseudonym: Pseudonym) -> String { "\(directory)/\(pseudonym.text).key" }

    /// The applicant's key, or nil when there is none.
    func key(of pseudonym: Pseudonym) throws(VaultError) -> SymmetricKey? {
        let path = path(of: pseudonym)
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) == 0 { throw .keyFile(path: path, reason: "cannot be read") }
            return nil
        }
        guard data.count == 32 else { throw .keyFile(path: path, reason: "is not a 32-byte key") }
        return SymmetricKey(data: data)
    }

    /// The applicant's key, made now if there is none: durably written before it is returned (a
    /// sealed record must never outlive the key that opens it by a crash). Linked into place, so
    /// when two processes add the same applicant at once both end up with the one key.
    func keyCreatingIfNeeded(for pseudonym: Pseudonym) throws(VaultError) -> SymmetricKey {
        if let key = try key(of: pseudonym) { return key }
        let key = SymmetricKey(size: .bits256)
        let path = path(of: pseudonym)
        let temporary = "\(path).\(getpid()).new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw failure(temporary, "cannot be created") }
        defer { unlink(temporary) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
        let synced = fsync(fd)
        close(fd)
        guard written == 32, synced == 0 else { throw failure(temporary, "cannot be written") }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST, let existing = try self.key(of: pseudonym) { return existing }
            throw failure(path, "cannot be linked into place")
        }
        try syncDirectory()
        return key
    }

    /// Destroys the applicant's key: overwrites the file's bytes with zeros in place, syncs,
    /// unlinks it and syncs the directory; likewise a copy half-made by an add that crashed.
    /// Returns false when there was no key.
    @discardableResult
    func destroy(of pseudonym: Pseudonym) throws(VaultError) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var destroyed = false
        for name in names where name.hasPrefix(pseudonym.text + ".") {
            let path = "\(directory)/\(name)"
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else {
                if errno == ENOENT { continue }
                throw failure(path, "cannot be opened to destroy it")
            }
            var info = stat()
            let size = fstat(fd, &info) == 0 ? max(Int(info.st_size), 32) : 32
            let zeros = [UInt8](repeating: 0, count: size)
            let written = pwrite(fd, zeros, zeros.count, 0)
            let synced = fsync(fd)
            close(fd)
            guard written == zeros.count, synced == 0 else { throw failure(path, "cannot be overwritten") }
            guard unlink(path) == 0 else { throw failure(path, "cannot be removed") }
            destroyed = true
        }
        if destroyed { try syncDirectory() }
        return destroyed
    }

    private func syncDirectory() throws(VaultError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw failure(directory, "cannot be opened") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(directory, "cannot be synced") }
    }

    private func failure(_ path: String, _ what: String) -> VaultError {
        .keyFile(path: path, reason: "\(what) (\(String(cString: strerror(errno))))")
    }
}
