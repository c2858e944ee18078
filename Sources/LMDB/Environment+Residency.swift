import CLMDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// Drops this process's resident copies of the data file's mapped pages.
    ///
    /// LMDB reads through a read-only, shared memory map of `data.mdb`: every page a scan
    /// touches stays counted in the process's resident memory, although it is only the OS page
    /// cache seen through the map. A rebuild that reads a 10-million-event log would so "use"
    /// gigabytes. Releasing the pages (`madvise(MADV_DONTNEED)`) loses nothing — the next access
    /// maps them again from the page cache — so long scans call this between batches.
    /// Safe while other threads read: they fault the pages back in.
    public func releaseMappedPages() {
        withResizeLockShared {
            guard let range = mappedRange() else { return }
            madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED)
        }
    }

    /// The address range of this environment's map of `data.mdb`, from /proc/self/maps
    /// (LMDB reports the address only for fixed maps).
    private func mappedRange() -> Range<Int>? {
        let file = URL(fileURLWithPath: path).appendingPathComponent("data.mdb").resolvingSymlinksInPath().path
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        for line in maps.split(separator: "\n") where line.hasSuffix(file) {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[5].trimmingCharacters(in: .whitespaces) == file else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = Int(bounds[0], radix: 16), let end = Int(bounds[1], radix: 16), end > start
            else { continue }
            return start ..< end
        }
        return nil
    }
}
