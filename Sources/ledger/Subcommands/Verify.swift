import ArgumentParser
import Ledger

extension LedgerCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash the log, check every link and the indexes against it; exit 0 when intact, else name the first bad seq or entry.")

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp("Also check the log against a digest published earlier (tree root, or an older chain hash).", valueName: "SIZE:HEX"))
        var digest: String?

        @Option(help: "First seq to check (trusts the hash before it).")
        var from: UInt64 = 1

        @Option(help: "Last seq to check.")
        var through: UInt64?

        func validate() throws {
            if let digest, ChainDigest(digest) == nil {
                throw ValidationError("--digest must be SEQ:HEX with 64 hex digits, e.g. 42:\(String(repeating: "0", count: 64))")
            }
        }

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let head = try store.digest().seq
            if from > max(head, 1) || (through.map { $0 < from } ?? false) {
                throw UserError("nothing to verify: --from \(from)\(through.map { " --through \($0)" } ?? "") lies outside the log (\(head == 0 ? "it is empty" : "seq 1…\(head)"))")
            }
            let progress = ProgressLine("verify")
            do {
                let report = try store.verify(from: from, through: through, against: digest.flatMap(ChainDigest.init)) { done, total in
                    progress.update(Int(done), of: Int(total))
                }
                progress.finish()
                // A whole-store verify also checks what is derived from the log against it.
                let indexes = from == 1 && through == nil ? try options.verifyIndexes(store) : nil
                let against = digest.map { ", matches published \($0.prefix(24))…" } ?? ""
                // An empty log has no seqs to name ("seq 1…0" said nothing).
                let checked = report.checked == 0 ? "the log is empty (0 events)" : "seq \(report.first)…\(report.last) (\(report.checked) events)"
                print("intact: \(checked)\(against); digest \(report.treeDigest.map(\.description) ?? report.digest.description)")
                if let indexes { print(indexes) }
            } catch let failure as VerificationFailure {
                progress.finish()
                throw UserError("NOT intact: \(failure)")
            }
        }
    }
}
