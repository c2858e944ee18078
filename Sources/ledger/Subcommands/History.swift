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
            try store.scan(of: number) { view in
                found = true
                let data = try view.data()
                var w = JSONWriter()
                if json {
                    // Every field through the one JSON writer: an actor or a text holding quotes,
                    // backslashes or control characters stays valid JSON.
                    w.beginObject()
                    w.field("seq", Int(view.seq))
                    w.field("version", Int(view.version))
                    w.field("at", view.at.chinaTime)
                    w.field("actor", view.actor)
                    w.field("type", try view.type.name)
                    w.key("data")
                    data.writeJSON(into: &w)
                    w.field("hash", view.hash.hex)
                    w.endObject()
                    out.append(contentsOf: w.bytes)
                } else {
                    data.writeJSON(into: &w)
                    let line = "\(view.seq)\tv\(view.version)\t\(view.at.chinaTime)\t\(view.actor)\t\(try view.type)\t"
                    out.append(contentsOf: line.utf8)
                    out.append(contentsOf: w.bytes)
                    out.append(contentsOf: "\t\(view.hash.hex)".utf8)
                }
                out.append(10)
                return true
            }
            guard found else { throw UserError("case \(number) has no events") }
            writeStdout(out)
        }
    }
}
