import CLMDB
#if canImport(Glibc)
import Glibc
#endif

/// The last line a process prints when a damaged data file takes it down.
///
/// liblmdb trusts its pages: on some damaged pages it asserts (and aborts), and a page that is
/// mapped but not backed by the file ends the process with SIGBUS. Checks before opening catch
/// what they can (`DataFileCheck`); for the rest, a program may install this report so that the
/// process never ends by a bare signal: it writes one prepared line to stderr and exits with
/// status 3. Only async-signal-safe calls run in the handler (`write`, `_exit`).
public enum FatalDamageReport {
    /// The exit status after a fatal damage report.
    public static let exitStatus: Int32 = 3

    /// Installs handlers for SIGBUS, SIGSEGV and SIGABRT, and LMDB's assertion hook in every
    /// environment opened afterwards, that write `line` and exit with `exitStatus`.
    /// Call once, early, from the program's entry point (not from a library).
    public static func install(line: String) {
        let bytes = Array(line.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        reportLine = UnsafePointer(buffer)
        reportLength = bytes.count
        for signal in [SIGBUS, SIGSEGV, SIGABRT] { _ = Glibc.signal(signal, fatalDamageSignal) }
    }

    /// Whether `install` ran.
    public static var isInstalled: Bool { reportLine != nil }

    /// Sets LMDB's assertion hook on a new environment (a no-op report until `install` runs).
    static func attach(to env: OpaquePointer) {
        mdb_env_set_assert(env, fatalDamageAssertion)
    }
}

// Written once by `install` before any handler can run, then only read (from handlers).
nonisolated(unsafe) private var reportLine: UnsafePointer<UInt8>?
nonisolated(unsafe) private var reportLength = 0

private func writeAll(_ pointer: UnsafeRawPointer, _ count: Int) {
    var offset = 0
    while offset < count {
        let n = write(STDERR_FILENO, pointer + offset, count - offset)
        if n <= 0 { return }
        offset += n
    }
}

private func fatalDamageSignal(_ signal: Int32) {
    guard let line = reportLine else { return }
    writeAll(line, reportLength)
    let suffix: StaticString = switch signal {
    case SIGBUS: " (SIGBUS: a mapped page is missing from the file)\n"
    case SIGSEGV: " (SIGSEGV)\n"
    default: " (SIGABRT)\n"
    }
    writeAll(suffix.utf8Start, suffix.utf8CodeUnitCount)
    _exit(FatalDamageReport.exitStatus)
}

private let fatalDamageAssertion: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { _, message in
    // Without an installed report, return: liblmdb then aborts as it always did.
    guard let line = reportLine else { return }
    writeAll(line, reportLength)
    let open: StaticString = " (liblmdb: "
    writeAll(open.utf8Start, open.utf8CodeUnitCount)
    if let message { writeAll(message, strlen(message)) }
    let close: StaticString = ")\n"
    writeAll(close.utf8Start, close.utf8CodeUnitCount)
    _exit(FatalDamageReport.exitStatus)
}
