import CaseDomain
import Feed
import Foundation
import Ledger
import Logging
import PostgresNIO
import Testing
import TestSupport

/// The throwaway PostgreSQL the tests ship into: `scripts/postgres-test-cluster.sh` starts it and
/// exports its URL (and, for the restart test, its data directory and binaries).
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["LEDGER_TEST_POSTGRES_URL"]
    static let dataDirectory = ProcessInfo.processInfo.environment["LEDGER_TEST_POSTGRES_DATA"]
    static let binDirectory = ProcessInfo.processInfo.environment["LEDGER_TEST_POSTGRES_BIN"]

    static var isConfigured: Bool { url != nil }
    static let skipReason: Comment = "LEDGER_TEST_POSTGRES_URL is not set: start a cluster with `eval \"$(bash scripts/postgres-test-cluster.sh)\"` (scripts/test.sh does)"

    static let logger = Logger(label: "feed-tests")

    /// A fresh database on the test server, dropped with the value.
    static func freshDatabase() async throws -> TestDatabase {
        guard let url else { throw FeedTestError("LEDGER_TEST_POSTGRES_URL is not set") }
        let name = "feed_\(UInt32.random(in: 0 ... .max))_\(getpid())"
        let admin = try await connect(url)
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        try await admin.close()
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return TestDatabase(url: components.string!, name: name, adminURL: url)
    }

    static func connect(_ url: String) async throws -> PostgresConnection {
        let components = URLComponents(string: url)!
        let configuration = PostgresConnection.Configuration(
            host: components.host!, port: components.port ?? 5432, username: components.user!,
            password: components.password, database: String(components.path.dropFirst()), tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 9, logger: logger)
    }

    /// Restarts the server the way a crash does (immediate shutdown: every backend is killed
    /// without a goodbye, then crash recovery), and waits until it accepts connections again.
    static func restart() throws {
        guard let dataDirectory, let binDirectory else {
            throw FeedTestError("LEDGER_TEST_POSTGRES_DATA/BIN are not set: start the cluster with scripts/postgres-test-cluster.sh")
        }
        let pgCtl = "\(binDirectory)/pg_ctl"
        // -l: the restarted server logs to its file, not to inherited descriptors.
        let arguments = ["-D", dataDirectory, "-l", dataDirectory + "/server.log", "-m", "immediate", "-w", "-t", "60", "restart"]
        let status = try runDaemonStarter(getuid() == 0 ? "/usr/sbin/runuser" : pgCtl,
                                          getuid() == 0 ? ["-u", "postgres", "--", pgCtl] + arguments : arguments, timeout: 90)
        guard status == 0 else { throw FeedTestError("pg_ctl restart failed (exit \(status)): see \(dataDirectory)/server.log") }
    }
}

/// Runs a program that starts a daemon (pg_ctl), with no descriptor of this process but
/// /dev/null as its stdin, stdout and stderr, and waits for it with `waitpid` (at most `timeout`
/// seconds, then it is killed and this throws). Not with Foundation's `Process`: it notices a
/// child's end when a descriptor it gave the child closes, and the daemon keeps that open for ever.
func runDaemonStarter(_ path: String, _ arguments: [String], timeout: Double) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // Every other descriptor of this process is closed in the child (a close of one that closed
    // meanwhile is no error to posix_spawn).
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
        if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else { throw FeedTestError("cannot start \(path): \(String(cString: strerror(spawned)))") }
    let deadline = Date(timeIntervalSinceNow: timeout)
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        guard Date() < deadline else {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw FeedTestError("`\(path) \(arguments.joined(separator: " "))` did not finish within \(Int(timeout)) s, so it was killed")
        }
        usleep(10_000)
    }
    // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal, 0 when it exited by itself.
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
}

/// A database of its own for one test.
struct TestDatabase: Sendable {
    let url: String
    let name: String
    let adminURL: String

    /// Runs `body` on a new connection; a call that takes over 30 s fails instead of hanging.
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        try await within(30, "a query of the test database \(name)") { [url] in
            let connection = try await TestPostgres.connect(url)
            do {
                let result = try await body(connection)
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// One bigint of a query's first row.
    func integer(_ sql: String) async throws -> Int64 {
        try await withConnection { connection in
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.logger)
                .decode(Int64.self) { return value }
            throw FeedTestError("no row: \(sql)")
        }
    }

    func drop() async {
        _ = try? await within(30, "dropping \(name)") { [adminURL, name] in
            let admin = try await TestPostgres.connect(adminURL)
            _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: TestPostgres.logger)
            try? await admin.close()
        }
    }
}

struct FeedTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `ledger` executable built beside this test binary.
func ledgerBinary() throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var candidates = [URL(fileURLWithPath: exe).deletingLastPathComponent()]
    for _ in 0 ..< 3 { candidates.append(candidates.last!.deletingLastPathComponent()) }
    for folder in candidates {
        let path = folder.appendingPathComponent("ledger").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw FeedTestError("ledger not found next to \(exe); build with --build-tests")
}

struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program to its end; one that takes over `timeout` seconds is killed and this throws.
/// For synchronous callers (making a district); async tests run `ledger` with `ledger(…)`.
func runProcess(_ path: String, _ arguments: [String], timeout: Double = 120) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = ReadAll(out.fileHandleForReading)
    let errData = ReadAll(err.fileHandleForReading)
    let pid = process.processIdentifier
    let timedOut = Flag()
    let watchdog = DispatchWorkItem {
        timedOut.set()
        kill(pid, SIGKILL)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    process.waitUntilExit()
    watchdog.cancel()
    let result = ProcessResult(status: process.terminationStatus, stdout: outData.wait(), stderr: errData.wait())
    if timedOut.isSet {
        throw FeedTestError("`\(path) \(arguments.joined(separator: " "))` did not finish within \(Int(timeout)) s, so it was killed; stderr: \(result.stderr.suffix(2000))")
    }
    return result
}

/// Runs `ledger ARGS…` to its end (at most `timeout` seconds, else it is killed and this throws).
func ledger(_ arguments: String..., timeout: Double = 60) async throws -> ProcessResult {
    let exit = try await LedgerChild(arguments).exit(within: timeout)
    return ProcessResult(status: exit.bySignal ? 128 + exit.status : exit.status, stdout: exit.stdout, stderr: exit.stderr)
}

/// Drains a pipe on a thread of its own (so a chatty child never blocks on a full pipe).
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }
    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A feed of `district` in this process (read-only store, its own feed views, the repository's
/// calendars and rules), shipping batches of `batchSize` to `url`.
func inProcessFeed(_ district: TemporaryDirectory, url: String, ledgerID: String, batchSize: Int,
                   timeouts: FeedTimeouts = FeedTimeouts()) throws -> PostgresFeed {
    let store = try EventStore(directory: district.appending("events"), codec: CaseEventCodec(), options: .init(readOnly: true))
    let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds")
    let models = try FeedReadModels(store: store, directory: district.appending("feed-views"),
                                    calendar: try WorkCalendar.load(directory: seeds.appendingPathComponent("calendars")),
                                    rules: try HallRules.load(from: seeds.appendingPathComponent("rules.json")))
    return try PostgresFeed(store: store, models: models, ledgerID: ledgerID, url: url, batchSize: batchSize, timeouts: timeouts)
}

/// A simulated district year in a fresh store, made by `ledger demo`.
func simulatedDistrict(cases: Int, seed: UInt64, label: String = "feed-district") throws -> TemporaryDirectory {
    let directory = TemporaryDirectory(label)
    let result = try runProcess(try ledgerBinary(), ["demo", "--cases", "\(cases)", "--seed", "\(seed)", "--store", directory.path, "--replace"])
    guard result.status == 0 else { throw FeedTestError("ledger demo failed: \(result.stderr)") }
    return directory
}
