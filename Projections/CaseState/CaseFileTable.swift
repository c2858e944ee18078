import CaseDomain
import LMDB
import Ledger

/// A view's table of case files (case number → `CaseFile` in its binary form), as queries read it.
public enum CaseFileTable {
    /// Reads one case file from a view; nil when the view has no such case.
    public static func read(_ caseNumber: CaseNumber, from db: Database<String, [UInt8]>, in txn: ReadTransaction) throws -> CaseFile? {
        try txn.withValue(db, caseNumber.rawValue) { try CaseFile(decoding: $0) }
    }
}
