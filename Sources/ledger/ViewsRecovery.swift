import Foundation
import LMDB
import Ledger

extension StoreOptions {
    /// Opens the views; when their files are damaged (truncated, a page liblmdb refuses, a
    /// record that does not decode), deletes them and opens them again, rebuilt from the log —
    /// they are derived data. Said in one line on stderr.
    func openViewsRebuildingDamage<R>(_ open: () throws -> R) throws -> R {
        do {
            return try open()
        } catch let error as LMDBError where error.isDamage {
            // The log's own damage fails again below, and is reported as the store's.
            guard FileManager.default.fileExists(atPath: viewsPath) else { throw error }
            FileHandle.standardError.write(Data("note: the views are damaged (\(EscapedText(error.description).text)): rebuilding them from the log\n".utf8))
            try FileManager.default.removeItem(atPath: viewsPath)
            return try open()
        }
    }
}
