import Foundation
import Synchronization

/// Whether stdout took everything written to it. A command whose output was lost (a full disk,
/// `/dev/full`, a reader that closed the pipe) must not exit 0.
enum OutputStatus {
    private static let firstFailure = Mutex<Int32?>(nil)

    /// The errno of the first failed write, if any.
    static var failure: Int32? { firstFailure.withLock { $0 } }

    static func failed(errno code: Int32) {
        firstFailure.withLock { if $0 == nil { $0 = code } }
    }

    /// Throws when a write failed (stops a long export at the first lost chunk).
    static func check() throws {
        if let code = failure { throw OutputError(code: code) }
    }

    /// Flushes what `print` buffered and checks every write of the command.
    static func finish() throws {
        // nil: every output stream (stdout is the only one written).
        if fflush(nil) != 0 { failed(errno: errno) }
        try check()
    }
}

/// The output could not be written.
struct OutputError: Error, CustomStringConvertible {
    let code: Int32
    var description: String {
        let reason = String(cString: strerror(code))
        let hint = switch code {
        case ENOSPC: "the disk is full"
        case EPIPE: "the reader closed the pipe"
        default: "the output is not writable"
        }
        return "cannot write the output: \(reason) (\(hint)); the output is incomplete"
    }
}
