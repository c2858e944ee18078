import Foundation
import LMDB
import Ledger
#if canImport(Glibc)
import Glibc
#endif

/// Views for a store whose views cannot be written: a read-only file system (an auditor's
/// mounted copy), or files this user may not write. Queries must still answer for the log as it
/// is — never from views that are behind it — and never write a byte to the store.
///
/// - When every view holds the log's head, they are read in place, read-only.
/// - Otherwise the views are copied (LMDB's compacting copy of one snapshot) into a private
///   scratch environment in memory (`/dev/shm`, else the temporary directory), the events after
///   their checkpoint are folded into the copy, and the queries read the copy. The scratch files
///   are unlinked as soon as they are open, so they vanish with the process however it ends.
///   Views that are missing, damaged, of another version or built on another log are built from
///   the whole log the same way.
public enum ReadOnlyViews {
    /// The views to answer from, and one line that says how they were made.
    public struct Opened {
        public let runner: ProjectionRunner
        public let note: String
    }

    public static func open(store: EventStore, directory: String, projections: [any Projection],
                            progress: ((ProjectionProgress) -> Void)? = nil) throws -> Opened {
        let head = try store.digest().seq
        var onDisk: ProjectionRunner?
        let why: String
        do {
            let runner = try ProjectionRunner(readingOnly: store, directory: directory, projections: projections)
            onDisk = runner
            _ = try runner.caughtUpReadOnly()
            return Opened(runner: runner, note: "the views in \(directory) cannot be written; answering from them read-only (they hold the whole log, seq \(head))")
        } catch let error as ProjectionError {
            why = error.description
        } catch let error as LMDBError where error == .notFound || error.code == ENOENT {
            why = "there are none"
        } catch {
            why = "they cannot be read (\(error))"
        }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        if let onDisk {
            try onDisk.environment.copy(to: scratch.path)
        }
        let runner = try ProjectionRunner(store: store, directory: scratch.path, projections: projections)
        // Open: the files live as long as the process holds them, and no longer.
        scratch.remove()
        let folded = try runner.status().map { s in
            s.builtVersion == s.version && s.builtOnThisLog && s.checkpoint <= head ? s.checkpoint : 0
        }.min() ?? 0
        try runner.catchUp(progress: progress)
        let behind = head - folded
        let note = folded == 0 && onDisk == nil
            ? "the views in \(directory) cannot be written and cannot be used (\(why)): folded the whole log (\(head) events) into views in memory for this answer"
            : "the views in \(directory) cannot be written and are \(behind) event\(behind == 1 ? "" : "s") behind the log (seq \(folded) of \(head)): folded \(behind == 1 ? "it" : "them") in memory for this answer; the views on disk are unchanged"
        return Opened(runner: runner, note: note)
    }

    /// Whether the views in `directory` can be written by this process: the directory (or,
    /// when it does not exist yet, the nearest folder above it) and the files LMDB opens for
    /// writing. `access` answers for the file system too: on a read-only mount it says no, even to root.
    public static func canWrite(_ directory: String) -> Bool {
        var folder = directory
        while access(folder, F_OK) != 0 {
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { return false }
            folder = parent
        }
        guard access(folder, W_OK) == 0 else { return false }
        guard folder == directory else { return true }
        return ["data.mdb", "lock.mdb", "writer.lock"].allSatisfy { name in
            let path = directory + "/" + name
            return access(path, F_OK) != 0 || access(path, W_OK) == 0
        }
    }
}

extension ProjectionRunner {
    /// For views opened read-only: the log's head, when every view holds it (the code's version,
    /// built on this log, checkpoint at the head).
    /// - Throws: `ProjectionError.readOnlyViewsBehind` naming the first view that does not.
    func caughtUpReadOnly() throws -> UInt64 {
        let head = try store.digest().seq
        for projection in projections {
            let name = projection.name.rawValue
            let record = try requireRecord(name)
            let onThisLog = try record.checkpoint == 0 || held(anchor(name, building: false), at: record.checkpoint)
            guard record.version == UInt32(projection.version), record.checkpoint == head, onThisLog else {
                throw ProjectionError.readOnlyViewsBehind(view: name, checkpoint: record.checkpoint, head: head)
            }
        }
        return head
    }
}

/// A private folder for views folded in memory: `/dev/shm` (memory) where it can be written.
private struct ScratchDirectory {
    let path: String

    init() throws {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        path = (base as NSString).appendingPathComponent("ledger-views-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
