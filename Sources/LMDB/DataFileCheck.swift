#if canImport(Glibc)
import Glibc
#endif

/// What the two meta pages of a `data.mdb` say, read with plain file reads — before the file is
/// mapped, because a map of a truncated file ends the process with SIGBUS on the first access
/// past its end, and LMDB takes an empty file for a new environment.
///
/// LMDB's layout (64-bit builds): pages 0 and 1 are meta pages; each starts with a 16-byte page
/// header, then `MDB_meta`: `u32 magic (0xBEEFC0DE)`, `u32 version`, `address`, `mapsize`, two
/// 48-byte `MDB_db` records (the first one's `md_pad` holds the page size), `last_pg`, `txnid`.
/// The live meta page is the valid one with the larger `txnid`; the file must hold every page up
/// to its `last_pg`.
public struct DataFileMeta: Sendable, Equatable {
    public var pageSize: Int
    public var lastPage: Int
    public var transactionID: UInt64
    /// Bytes the file must have: `(lastPage + 1) × pageSize`.
    public var requiredBytes: Int { (lastPage + 1) * pageSize }

    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    static let pageHeaderSize = 16
    static let lastPageOffset = pageHeaderSize + 120
    static let transactionIDOffset = pageHeaderSize + 128
    static let pageSizeOffset = pageHeaderSize + 24

    /// Decodes one meta page from `bytes` (at least 160 bytes), or nil when it is not one.
    static func decode(_ bytes: [UInt8]) -> DataFileMeta? {
        guard bytes.count >= transactionIDOffset + 8 else { return nil }
        func u32(_ at: Int) -> UInt32 { bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) } }
        func u64(_ at: Int) -> UInt64 { bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) } }
        guard u32(pageHeaderSize) == magic, u32(pageHeaderSize + 4) == dataVersion else { return nil }
        let pageSize = Int(u32(pageSizeOffset))
        let lastPage = u64(lastPageOffset)
        // Page sizes are powers of two between 512 bytes and 64 KiB; a larger last page is nonsense.
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0, lastPage >= 1, lastPage < 1 << 40
        else { return nil }
        return DataFileMeta(pageSize: pageSize, lastPage: Int(lastPage), transactionID: u64(transactionIDOffset))
    }
}

/// Why a `data.mdb` cannot be opened safely.
public enum DataFileDamage: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes (a creation interrupted before its first commit, or a truncation).
    case empty(path: String)
    /// Neither meta page is readable: the file is not an LMDB data file, or its head is damaged.
    case noValidMeta(path: String, bytes: Int)
    /// The file is shorter than its live meta page says (truncated).
    case truncated(path: String, bytes: Int, required: Int)
    /// The path is not a regular file.
    case notAFile(path: String)

    public var description: String {
        switch self {
        case .empty(let path): "\(path) is empty (0 bytes)"
        case let .noValidMeta(path, bytes): "\(path) (\(bytes) bytes) has no valid LMDB meta page: the store is damaged or this is not a store"
        case let .truncated(path, bytes, required): "\(path) is truncated: \(bytes) bytes, but its meta page needs \(required)"
        case .notAFile(let path): "\(path) is not a regular file"
        }
    }
}

public enum DataFileCheck {
    /// Checks the environment directory's `data.mdb` against its meta pages.
    /// - Returns: the live meta page, or nil when the file does not exist (a new environment).
    /// - Throws: `DataFileDamage` when the file exists but cannot be mapped safely.
    @discardableResult
    public static func check(directory: String) throws(DataFileDamage) -> DataFileMeta? {
        let path = directory + "/data.mdb"
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notAFile(path: path) }
        let size = Int(st.st_size)
        if size == 0 { throw .empty(path: path) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil } // unreadable: LMDB names the errno when it opens it
        defer { close(fd) }
        func page(at offset: Int) -> DataFileMeta? {
            var bytes = [UInt8](repeating: 0, count: 256)
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 256, off_t(offset)) }
            guard n == 256 else { return nil }
            return DataFileMeta.decode(bytes)
        }
        let first = page(at: 0)
        // The second meta page sits one page in; its size comes from the first, else try each size.
        let candidates = first.map { [$0.pageSize] } ?? [4096, 512, 1024, 2048, 8192, 16_384, 32_768, 65_536]
        let second = candidates.lazy.compactMap { page(at: $0) }.first
        let live = [first, second].compactMap { $0 }.max { $0.transactionID < $1.transactionID }
        guard let live else { throw .noValidMeta(path: path, bytes: size) }
        guard size >= live.requiredBytes else { throw .truncated(path: path, bytes: size, required: live.requiredBytes) }
        return live
    }
}
