import Foundation
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

    /// Restarts the server the way a crash does (immediate shutdown, then start).
    static func restart() throws {
        guard let dataDirectory, let binDirectory else {
            throw FeedTestError("LEDGER_TEST_POSTGRES_DATA/BIN are not set: start the cluster with scripts/postgres-test-cluster.sh")
        }
        let pgCtl = "\(binDirectory)/pg_ctl"
        // -l: the restarted server logs to its file; its output is not read through pipes either,
        // since the server it starts outlives pg_ctl and would hold them open.
        let arguments = ["-D", dataDirectory, "-l", dataDirectory + "/server.log", "-m", "immediate", "-w", "-t", "60", "restart"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: getuid() == 0 ? "/usr/sbin/runuser" : pgCtl)
        process.arguments = getuid() == 0 ? ["-u", "postgres", "--", pgCtl] + arguments : arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let result = (status: process.terminationStatus, stderr: "see \(dataDirectory)/server.log")
        guard result.status == 0 else { throw FeedTestError("pg_ctl restart failed: \(result.stderr)") }
    }
}

/// A database of its own for one test.
struct TestDatabase: Sendable {
    let url: String
    let name: String
    let adminURL: String

    /// Runs `body` on a new connection.
    func withConnection<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
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

    /// One bigint of a query's first row.
    func integer(_ sql: String) async throws -> Int64 {
        try await withConnection { connection in
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.logger)
                .decode(Int64.self) { return value }
            throw FeedTestError("no row: \(sql)")
        }
    }

    func drop() async {
        guard let admin = try? await TestPostgres.connect(adminURL) else { return }
        _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: TestPostgres.logger)
        try? await admin.close()
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

/// Runs a program to its end.
func runProcess(_ path: String, _ arguments: [String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = ReadAll(out.fileHandleForReading)
    let errData = ReadAll(err.fileHandleForReading)
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: outData.wait(), stderr: errData.wait())
}

/// Runs `ledger ARGS…` to its end.
func ledger(_ arguments: String...) throws -> ProcessResult { try runProcess(try ledgerBinary(), arguments) }

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

/// A simulated district year in a fresh store, made by `ledger demo`.
func simulatedDistrict(cases: Int, seed: UInt64, label: String = "feed-district") throws -> TemporaryDirectory {
    let directory = TemporaryDirectory(label)
    let result = try ledger("demo", "--cases", "\(cases)", "--seed", "\(seed)", "--store", directory.path, "--replace")
    guard result.status == 0 else { throw FeedTestError("ledger demo failed: \(result.stderr)") }
    return directory
}
