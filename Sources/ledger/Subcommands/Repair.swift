import ArgumentParser
import CaseDomain
import Foundation
import Ledger

extension LedgerCommand {
    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild what is derived from the log — its indexes and the views — keeping a damaged copy beside it.",
            discussion: """
                The log is the truth. Its chain is verified first: a log that does not verify is not \
                repaired (restore a backup with `ledger restore`). Indexes that disagree with the log are \
                rebuilt from it into a fresh environment; the damaged one is kept as events.damaged-N. \
                The views are deleted and rebuilt from the log by the next command that reads them. \
                No other ledger process may use the store while it runs.
                """)

        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.prepareStoreDirectory(create: false)
            let indexFailure: IndexFailure?
            do {
                let store = try options.openEvents(readOnly: true)
                do { _ = try store.verify() } catch let failure as VerificationFailure {
                    throw UserError("cannot repair: the log itself is damaged (\(failure)); restore a backup with `ledger restore`")
                }
                do { _ = try store.verifyIndexes(); indexFailure = nil } catch let failure as IndexFailure { indexFailure = failure }
            }
            if let indexFailure {
                let progress = ProgressLine("repair")
                let report = try EventStore.repair(directory: options.eventsPath, codec: CaseEventCodec()) { done, total in progress.update(done, of: total) }
                progress.finish()
                print("repaired: \(indexFailure.index) disagreed with the log (\(indexFailure.finding)); rebuilt the indexes of \(report.records) events (\(report.cases) streams) from the log; digest \(report.head)")
                if let kept = report.keptDamaged { print("the damaged copy is kept at \(kept); delete it once `ledger verify` passes") }
            } else {
                print("the log and its indexes are intact; nothing to rebuild there")
            }
            if FileManager.default.fileExists(atPath: options.viewsPath) {
                try FileManager.default.removeItem(atPath: options.viewsPath)
                print("views deleted: the next command that reads them rebuilds them from the log")
            }
        }
    }
}
