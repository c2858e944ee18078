import CaseDomain
import Ledger
import Foundation
import LMDB
import Synchronization

extension StoreOptions {
    /// Checks `--store` before anything is opened: a file where a directory belongs, a missing
    /// store for a command that only reads, or a data file that is truncated or empty are each
    /// one line, and nothing is created for them.
    func prepareStoreDirectory(create: Bool) throws {
        let shown = EscapedText(store).text
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw UserError("--store \(shown) is a file, not a store directory; pass the directory that holds events/ and views/")
        }
        if FileManager.default.fileExists(atPath: eventsPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw UserError("\(shown)/events is a file, not the event log's directory; this is not a store")
        }
        do {
            if try DataFileCheck.check(directory: eventsPath) != nil { return }
        } catch {
            throw StoreDamageError(finding: error.description, lost: true)
        }
        guard create else {
            throw UserError("no store at \(shown) (create one with `ledger import` or `ledger demo`, or pass --store DIR)")
        }
        CreatedStore.remember(topmostMissing(eventsPath), events: eventsPath)
        try FileManager.default.createDirectory(atPath: eventsPath, withIntermediateDirectories: true)
    }

    /// The first directory on the way to `path` that does not exist yet.
    private func topmostMissing(_ path: String) -> String {
        var missing = path
        var parent = (path as NSString).deletingLastPathComponent
        while !parent.isEmpty, parent != "/", !FileManager.default.fileExists(atPath: parent) {
            missing = parent
            parent = (parent as NSString).deletingLastPathComponent
        }
        return missing
    }
}

/// A store this process created, so that a command that fails before recording anything leaves
/// no empty directories behind.
enum CreatedStore {
    private static let created = Mutex<(top: String, events: String)?>(nil)

    static func remember(_ top: String, events: String) {
        created.withLock { $0 = (top, events) }
    }

    /// Removes the directories this process created when the log it created holds no event (the
    /// store's own set-up transactions — databases, format, tree — record nothing). Called once
    /// the command has failed and released its store.
    static func removeIfNothingRecorded() {
        guard let (top, events) = created.withLock({ $0 }) else { return }
        if (try? DataFileCheck.check(directory: events)) != nil {
            let head = try? EventStore(directory: events, codec: CaseEventCodec(), options: .init(readOnly: true)).digest().seq
            guard head == 0 else { return }
        }
        try? FileManager.default.removeItem(atPath: top)
    }
}

extension StoreOptions {
    /// What a store owns inside `--store`: the event log and the views. Nothing else in the
    /// directory (an operator's notes, exports, backups) is the store's to delete.
    static let ownedEntries = ["events", "views"]

    /// Deletes the store's own entries (for `demo --replace`), leaving the directory and any
    /// other file in it.
    func removeStoreContents() throws {
        for entry in StoreOptions.ownedEntries {
            let path = store + "/" + entry
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }
}

extension StoreOptions {
    /// `--seeds DIR`, else `$LEDGER_SEEDS`, checked: a directory of reference data (it has
    /// `calendars/`), or a one-line error. Nil when neither was given.
    func explicitSeedsDirectory() throws -> URL? {
        let chosen: (path: String, source: String)?
        if let seeds {
            chosen = (seeds, "--seeds")
        } else if let env = ProcessInfo.processInfo.environment["LEDGER_SEEDS"] {
            chosen = (env, "LEDGER_SEEDS")
        } else {
            chosen = nil
        }
        guard let chosen else { return nil }
        var isDirectory: ObjCBool = false
        let shown = EscapedText(chosen.path).text
        guard FileManager.default.fileExists(atPath: chosen.path, isDirectory: &isDirectory) else {
            throw UserError("\(chosen.source) \(shown) does not exist; pass the reference data directory (the one holding calendars/)")
        }
        guard isDirectory.boolValue, FileManager.default.fileExists(atPath: chosen.path + "/calendars") else {
            throw UserError("\(chosen.source) \(shown) is not reference data (no calendars/ in it); pass the directory holding calendars/, catalog.jsonl and rules.json")
        }
        return URL(fileURLWithPath: chosen.path)
    }
}
