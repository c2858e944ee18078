import CLMDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How an `Environment` is opened.
public struct EnvironmentConfiguration: Sendable {
    /// Initial map size in bytes. The map grows by itself when full, so this is a starting point.
    public var mapSize: Int = 64 << 20
    /// The most named databases the environment may hold.
    public var maxDatabases: UInt32 = 16
    /// The most concurrent read transactions (one slot each).
    public var maxReaders: UInt32 = 256
    /// When false, commits are not fsynced: faster, but a crash may lose the last commits.
    /// Only for disposable data (views, tests); the event log always syncs.
    public var durable: Bool = true
    /// Open read-only (auditors): every write transaction fails.
    public var readOnly: Bool = false

    public init(mapSize: Int = 64 << 20, maxDatabases: UInt32 = 16, maxReaders: UInt32 = 256,
                durable: Bool = true, readOnly: Bool = false) {
        self.mapSize = mapSize
        self.maxDatabases = maxDatabases
        self.maxReaders = maxReaders
        self.durable = durable
        self.readOnly = readOnly
    }
}

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`, with named databases.
///
/// Transactions exist only as closures: ``read(_:)`` and ``write(_:)``. Keep them synchronous —
/// never `await` inside — so a write transaction never changes thread.
///
/// The environment is safe to share between threads and tasks. Stale reader slots left by
/// processes that died are cleared when it opens.
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    public let configuration: EnvironmentConfiguration
    /// Opened read-only without its lock file (this user cannot write it): no reader slot tells a
    /// writer of another user which pages this process still reads, so every read checks after
    /// itself that no writer can have reused them.
    public let lockless: Bool
    /// Read and write transactions hold it shared; growing the map holds it exclusive,
    /// because LMDB requires that no transaction of this process is active during a resize.
    private let resizeLock: UnsafeMutablePointer<pthread_rwlock_t>
    /// Read transactions of this process running now (`read` bodies), for the server's metrics.
    private let readsOpen = Atomic<Int>(0)

    /// Opens (creating if needed) the environment in directory `path`.
    /// - Throws: `LMDBError` if the directory cannot be opened or is not an LMDB environment.
    public init(path: String, configuration: EnvironmentConfiguration = .init()) throws(LMDBError) {
        // Before mapping: a truncated file would end the process with SIGBUS, an empty one would
        // silently become a new environment.
        do { try DataFileCheck.check(directory: path) } catch { throw LMDBError(damage: error) }
        if !configuration.readOnly, let free = availableBytes(at: path), free < 1 << 20,
           access(path + "/data.mdb", F_OK) != 0 {
            // A new data file on a full disk: LMDB could not write its first pages.
            throw LMDBError(code: ENOSPC, operation: "create \(path)/data.mdb")
        }
        let opened: (handle: OpaquePointer, lockless: Bool)
        do {
            opened = (try Environment.open(path, configuration, flags: 0), false)
        } catch let error where error.code == EACCES && configuration.readOnly && Environment.lockFileIsNotOurs(path) {
            // A lock file this user may not write (another user's store, files 0444): liblmdb
            // refuses, though it reads a read-only mount without one. Read without it the same way;
            // `read` then checks that no writer can have reused the snapshot's pages.
            opened = (try Environment.open(path, configuration, flags: UInt32(MDB_NOLOCK)), true)
        }
        let env = opened.handle
        lockless = opened.lockless
        handle = env
        self.path = path
        self.configuration = configuration
        resizeLock = .allocate(capacity: 1)
        pthread_rwlock_init(resizeLock, nil)
    }

    deinit {
        mdb_env_close(handle)
        pthread_rwlock_destroy(resizeLock)
        resizeLock.deallocate()
    }

    private static func open(_ path: String, _ configuration: EnvironmentConfiguration, flags extra: UInt32) throws(LMDBError) -> OpaquePointer {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: ENOMEM, operation: "mdb_env_create") }
        do {
            try check(mdb_env_set_maxdbs(env, MDB_dbi(configuration.maxDatabases)), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, configuration.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, configuration.mapSize), "mdb_env_set_mapsize")
            FatalDamageReport.attach(to: env)
            if !configuration.readOnly { mkdir(path, 0o755) }
            // NOTLS: a read transaction is tied to its object, not its thread (tasks move between threads).
            var flags = UInt32(MDB_NOTLS) | extra
            if !configuration.durable { flags |= UInt32(MDB_NOSYNC) }
            if configuration.readOnly { flags |= UInt32(MDB_RDONLY) }
            try check(mdb_env_open(env, path, flags, 0o644), "open \(path)")
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        } catch {
            mdb_env_close(env)
            throw error
        }
        return env
    }

    /// Whether `lock.mdb` in `path` is there and this user may not write it, or is missing from a
    /// folder this user may not write (so it cannot be made), while the data file can be read.
    private static func lockFileIsNotOurs(_ path: String) -> Bool {
        guard access(path + "/data.mdb", R_OK) == 0 else { return false }
        let lock = path + "/lock.mdb"
        return access(lock, F_OK) == 0 ? access(lock, W_OK) != 0 : access(path, W_OK) != 0
    }

    /// Current size of the memory map in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Bytes in use by the data file (pages written so far × page size).
    public var usedBytes: Int {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return (info.me_last_pgno + 1) * Int(stat.ms_psize)
    }

    /// Read transactions of this process open at this moment (a long-open one holds old pages
    /// from reuse and makes the file grow).
    public var openReadTransactions: Int { readsOpen.load(ordering: .relaxed) }

    /// Flushes the data to disk; needed only for non-durable environments.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot transaction.
    ///
    /// ```swift
    /// let count = try env.read { txn in try txn.count(db) }
    /// ```
    /// Bytes handed out by the transaction are valid only inside `body`; copy what you keep.
    public func read<R>(_ body: (ReadTransaction) throws -> R) throws -> R {
        let txn = try beginLocked(flags: UInt32(MDB_RDONLY))
        readsOpen.add(1, ordering: .relaxed)
        let snapshot = mdb_txn_id(txn)
        defer {
            mdb_txn_abort(txn)
            pthread_rwlock_unlock(resizeLock)
            readsOpen.subtract(1, ordering: .relaxed)
        }
        guard lockless else { return try body(ReadTransaction(txn)) }
        do {
            let result = try body(ReadTransaction(txn))
            try checkSnapshotHeld(snapshot)
            return result
        } catch {
            // A failure on pages reused under the read is not damage: say what happened instead.
            try checkSnapshotHeld(snapshot)
            throw error
        }
    }

    /// For a lockless reader: pages the snapshot `txnid` reads are freed at the earliest by the
    /// next commit and reused at the earliest by the one after it, so the read was whole when the
    /// last commit is still at most one past the snapshot (the one after it had not begun).
    private func checkSnapshotHeld(_ txnid: Int) throws(LMDBError) {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        if info.me_last_txnid > txnid + 1 {
            throw LMDBError(code: EAGAIN, operation: "read \(path) without its lock file (this user cannot write it) while another process committed \(info.me_last_txnid - txnid) times; run it again")
        }
    }

    /// Runs `body` in the write transaction: commits when it returns, aborts when it throws and
    /// rethrows the first error.
    ///
    /// When the map is full, the transaction is aborted, the map doubled, and `body` runs again
    /// from the start; so `body` must not have effects outside the transaction that cannot be
    /// repeated. Writers are serialised by LMDB (one writer per environment).
    public func write<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        while true {
            do {
                return try writeOnce(body)
            } catch let error as LMDBError where error == .mapFull {
                try grow()
            }
        }
    }

    private func writeOnce<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        let txn = try beginLocked(flags: 0)
        defer { pthread_rwlock_unlock(resizeLock) }
        let result: R
        do {
            result = try body(WriteTransaction(txn))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        let code = mdb_txn_commit(txn)
        if code != MDB_SUCCESS { throw namingDiskFull(LMDBError(code: code, operation: "mdb_txn_commit"), directory: path) }
        return result
    }

    /// Takes the resize lock shared and begins a transaction; on success the caller holds the
    /// lock until the transaction ends.
    private func beginLocked(flags: UInt32) throws(LMDBError) -> OpaquePointer {
        while true {
            pthread_rwlock_rdlock(resizeLock)
            var txn: OpaquePointer?
            let code = mdb_txn_begin(handle, nil, flags, &txn)
            if code == MDB_SUCCESS, let txn { return txn }
            pthread_rwlock_unlock(resizeLock)
            guard code == MDB_MAP_RESIZED else {
                throw LMDBError(code: code, operation: flags == 0 ? "mdb_txn_begin (write)" : "mdb_txn_begin (read)")
            }
            // Another process grew the map: adopt its size (no transaction of ours may be active).
            pthread_rwlock_wrlock(resizeLock)
            mdb_env_set_mapsize(handle, 0)
            pthread_rwlock_unlock(resizeLock)
        }
    }

    /// Begins a transaction that the caller ends itself, adopting a map another process grew
    /// (MDB_MAP_RESIZED) as `beginLocked` does.
    private func begin(flags: UInt32) throws(LMDBError) -> OpaquePointer {
        let txn = try beginLocked(flags: flags)
        pthread_rwlock_unlock(resizeLock)
        return txn
    }

    /// Adopts the map size another process grew the file to (after MDB_MAP_RESIZED).
    func adoptGrownMap() throws(LMDBError) {
        pthread_rwlock_wrlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize")
    }

    /// Runs `body` while no map resize can start.
    func withResizeLockShared<R>(_ body: () throws -> R) rethrows -> R {
        pthread_rwlock_rdlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        return try body()
    }

    /// Doubles the map. Waits until no transaction of this process is active.
    private func grow() throws(LMDBError) {
        pthread_rwlock_wrlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        try check(mdb_env_set_mapsize(handle, mapSize * 2), "mdb_env_set_mapsize")
    }

    // MARK: Databases

    /// Opens (creating it if needed) the named database. Handles stay valid for the
    /// environment's life; open each database once, when the store opens.
    public func openDatabase<Key, Value>(
        _ name: String, flags: DatabaseFlags = [], as: Database<Key, Value>.Type = Database<Key, Value>.self
    ) throws -> Database<Key, Value> {
        if configuration.readOnly {
            // A handle opened in a read transaction outlives it only if that transaction commits.
            let txn = try begin(flags: UInt32(MDB_RDONLY))
            do {
                let db: Database<Key, Value> = try ReadTransaction(txn).openExisting(name, flags: flags)
                try check(mdb_txn_commit(txn), "mdb_txn_commit")
                return db
            } catch {
                mdb_txn_abort(txn)
                throw error
            }
        }
        return try write { txn in try txn.openDatabase(name, flags: flags) }
    }
}
