import ArgumentParser
import CaseDomain
import Ledger

extension LedgerCommand {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every event of one case: seq, version, time, actor, type, data and hash.")

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp("The case number.", valueName: "CASE"))
        var caseNumber: String

        @Flag(help: "One JSON object a line (with seq, version and hash) instead of a table.")
        var json = false

        func run() throws {
            let number = try caseNumberArgument(caseNumber)
            let store = try options.openEvents(readOnly: true)
            var found = false
            var out: [UInt8] = []
            try store.forEachEvent(of: number) { view in
                found = true
                var w = JSONWriter()
                try view.data().writeJSON(into: &w)
                let data = String(decoding: w.bytes, as: UTF8.self)
                let line = json
                    ? "{\"seq\":\(view.seq),\"version\":\(view.version),\"at\":\"\(view.at)\",\"actor\":\"\(view.actor)\",\"type\":\"\(view.type)\",\"data\":\(data),\"hash\":\"\(view.hash.hex)\"}"
                    : "\(view.seq)\tv\(view.version)\t\(view.at)\t\(view.actor)\t\(view.type)\t\(data)\t\(view.hash.hex)"
                out.append(contentsOf: line.utf8)
                out.append(10)
            }
            guard found else { throw UserError("case \(number) has no events") }
            writeStdout(out)
        }
    }
}
