import Foundation
import Testing

/// A small tmpfs mounted for one test: a disk that can really fill up, and be remounted
/// read-only. Mounting needs root (CAP_SYS_ADMIN); where it is not allowed the tests that need
/// one are not run (`ScratchMount.allowed`).
final class ScratchMount {
    let path: String

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-mount-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard ScratchMount.run(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            throw HarnessError("cannot mount a tmpfs at \(path)")
        }
    }

    deinit {
        _ = ScratchMount.run(["umount", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Remounts it read-only (`true`) or read-write.
    func remount(readOnly: Bool) throws {
        guard ScratchMount.run(["mount", "-o", "remount,\(readOnly ? "ro" : "rw")", path]) else {
            throw HarnessError("cannot remount \(path)")
        }
    }

    /// Fills the file system with a file until fewer than `leaving` bytes are free (a write
    /// that fails with ENOSPC ends it early).
    func fill(leaving: Int) throws {
        let filler = path + "/filler"
        guard let handle = FileHandle(forWritingAtPath: filler) ?? {
            _ = FileManager.default.createFile(atPath: filler, contents: nil)
            return FileHandle(forWritingAtPath: filler)
        }() else { throw HarnessError("cannot create \(filler)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        let chunk = Data(count: 64 << 10)
        while free > leaving {
            let take = min(chunk.count, max(4096, free - leaving))
            do { try handle.write(contentsOf: chunk.prefix(take)) } catch { break }
        }
    }

    /// Bytes free on the mount.
    var free: Int {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return 0 }
        return Int(fs.f_bavail) * Int(fs.f_frsize)
    }

    /// Whether this process may mount (root, and the kernel lets it): probed once.
    static let allowed: Bool = {
        guard getuid() == 0 else { return false }
        return (try? ScratchMount(megabytes: 1)) != nil
    }()

    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
