import CaseDomain
import LMDB
import Ledger

extension ContactsVault {
    /// Whether `window` holds one of the applicant's cases: a case submitted under the
    /// pseudonym that was accepted at, or last transferred to, that window.
    public func window(_ window: String, holdsCaseOf pseudonym: Pseudonym) throws -> Bool {
        try catchUpCaseIndex()
        for caseNumber in try cases(of: pseudonym) where try ledger.file(of: caseNumber).window == window {
            return true
        }
        return false
    }

    /// The case numbers submitted under the pseudonym, as far as the index has read the log.
    public func cases(of pseudonym: Pseudonym) throws -> [CaseNumber] {
        try environment.read { txn in
            try txn.withCursor(applicantCases) { cursor in
                var found: [CaseNumber] = []
                var entry = try cursor.seek(exactly: pseudonym.text)
                while let (_, value) = entry {
                    found.append(CaseNumber(unvalidated: String(lmdbBytes: value)))
                    entry = try cursor.nextDuplicate()
                }
                return found
            }
        }
    }

    /// Reads the log's `submitted` events past the index's checkpoint and files each case under
    /// its applicant's pseudonym. Cheap when there is nothing new: one read of the log's head.
    /// Only a batch that found cases is committed (with the checkpoint); events without any are
    /// remembered in memory, so a restart reads them again, which changes nothing.
    public func catchUpCaseIndex() throws {
        let stored = try environment.read { txn in try txn.get(meta, "indexedThrough") ?? 0 }
        var next = max(stored, indexedThrough.withLock { $0 }) + 1
        while true {
            let batch = try ledger.store.events(from: next, limit: 4096)
            guard let last = batch.last else { return }
            var found: [(String, String)] = []
            for event in batch where try event.type == .submitted {
                if case .submitted(let submission) = try event.data(), (try? Pseudonym(submission.applicant.ref)) != nil {
                    found.append((submission.applicant.ref, event.caseNumber.rawValue))
                }
            }
            if !found.isEmpty {
                try environment.write { txn in
                    for (pseudonym, caseNumber) in found { try txn.put(applicantCases, pseudonym, caseNumber) }
                    try txn.put(meta, "indexedThrough", last.seq)
                }
            }
            indexedThrough.withLock { $0 = max($0, last.seq) }
            next = last.seq + 1
        }
    }
}
