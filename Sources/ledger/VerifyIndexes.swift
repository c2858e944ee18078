import Ledger

extension StoreOptions {
    /// Checks the indexes against the log for `verify`; the line to print when they agree.
    func verifyIndexes(_ store: EventStore) throws -> String {
        let progress = ProgressLine("indexes")
        do {
            let report = try store.verifyIndexes { done, total in progress.update(done, of: total, unit: "entries") }
            progress.finish()
            return "indexes agree with the log: \(report.caseEntries) case entries over \(report.cases) streams, \(report.idEntries) event ids"
        } catch let failure as IndexFailure {
            progress.finish()
            throw UserError("NOT intact: \(failure); run `ledger repair --store \(EscapedText(store.directory.droppingEventsSuffix).text)` to rebuild the indexes from the log")
        }
    }
}

extension String {
    /// The store directory of an `…/events` path.
    var droppingEventsSuffix: String { hasSuffix("/events") ? String(dropLast("/events".count)) : self }
}
