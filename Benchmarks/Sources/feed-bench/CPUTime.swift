import Foundation
import PostgresNIO

/// CPU seconds, to tell the work of a run from the time it waited for a busy machine: this
/// process's (getrusage) and the PostgreSQL server's (its postmaster, its live processes and
/// the children it reaped, from /proc; Linux only, nil elsewhere).
struct CPUTime: CustomStringConvertible {
    var process: Double
    var postgres: Double?

    static func now(postmaster: Int32?) -> CPUTime {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let process = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return CPUTime(process: process, postgres: postmaster.flatMap(postgresSeconds))
    }

    var description: String {
        String(format: "%.2f s here, ", process) + (postgres.map { String(format: "%.2f s PostgreSQL", $0) } ?? "PostgreSQL unknown")
    }

    /// "process / PostgreSQL" medians of several runs.
    static func medians(_ runs: [CPUTime]) -> String {
        let postgres = runs.compactMap(\.postgres)
        return String(format: "%.2f", median(runs.map(\.process))) + " / "
            + (postgres.count == runs.count ? String(format: "%.2f", median(postgres)) : "unknown")
    }

    static func - (a: CPUTime, b: CPUTime) -> CPUTime {
        CPUTime(process: a.process - b.process, postgres: a.postgres.flatMap { x in b.postgres.map { x - $0 } })
    }

    /// The postmaster of the server `connection` talks to (its backend's parent).
    static func postmaster(of connection: PostgresConnection, logger: Logger) async throws -> Int32? {
        let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger)
        for try await pid in rows.decode(Int32.self) { return stat(pid).map { Int32($0.parent) } }
        return nil
    }

    /// User and system seconds of the postmaster, its live children and its reaped children.
    private static func postgresSeconds(_ postmaster: Int32) -> Double? {
        guard let own = stat(postmaster) else { return nil }
        var ticks = own.ticks + own.reapedTicks
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in processes {
            guard let pid = Int32(name), pid != postmaster, let child = stat(pid), child.parent == Int(postmaster) else { continue }
            ticks += child.ticks
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// From /proc/PID/stat: the parent, the process's user+system ticks and its reaped children's.
    private static func stat(_ pid: Int32) -> (parent: Int, ticks: Int, reapedTicks: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state, ppid, …; utime, stime, cutime, cstime are fields 14–17.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 15, let parent = Int(fields[1]), let utime = Int(fields[11]), let stime = Int(fields[12]),
              let cutime = Int(fields[13]), let cstime = Int(fields[14]) else { return nil }
        return (parent, utime + stime, cutime + cstime)
    }
}
