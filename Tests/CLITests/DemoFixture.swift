import Foundation
import TestSupport

/// A 300-case demo store, built once by `ledger demo` for every test that only reads it (the
/// commands that write get stores of their own). Removed when the test process exits.
final class DemoFixture: Sendable {
    static let shared = Result { try DemoFixture() }

    static let cases = 300
    let directory: TemporaryDirectory
    let store: String
    /// What `ledger demo` printed.
    let demo: LedgerRun
    /// The log as `ledger export` wrote it: one JSON object a line.
    let exportLines: [String]
    /// A case with events, the window that accepted it, and when (it was open at that window then).
    let caseNumber: String
    let window: String
    let acceptedAt: String

    private init() throws {
        directory = TemporaryDirectory("ledger-cli-demo")
        store = directory.appending("store")
        demo = try ledger(["demo", "--cases", "\(Self.cases)", "--store", store])
        guard demo.status == 0 else { throw CLITestError("the demo store could not be built: \(demo)") }
        atexit { if case .success(let fixture) = DemoFixture.shared { try? FileManager.default.removeItem(atPath: fixture.directory.path) } }

        let export = try ledger(["export", "--store", store])
        guard export.status == 0 else { throw CLITestError("the demo store could not be exported: \(export)") }
        exportLines = export.lines
        let exported: [[String: Any]] = try exportLines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CLITestError("an export line is not a JSON object: \(line)")
            }
            return object
        }
        guard let accepted = exported.first(where: { $0["type"] as? String == "accepted" }),
              let number = accepted["case"] as? String,
              let window = (accepted["data"] as? [String: Any])?["window"] as? String,
              let at = accepted["at"] as? String
        else { throw CLITestError("the demo store has no accepted case") }
        caseNumber = number
        self.window = window
        acceptedAt = at
    }
}
