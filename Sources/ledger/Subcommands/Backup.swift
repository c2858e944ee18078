import ArgumentParser
import CaseDomain
import Foundation
import Ledger

extension LedgerCommand {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the log, compacted, into a new store directory while the store is in use; verify the copy and print its digest.",
            discussion: """
                DEST becomes a store of its own (DEST/events): `ledger verify --store DEST` checks it again, \
                `ledger restore DEST` puts it back. The copy is one consistent snapshot; appends made \
                meanwhile are simply not in it. Views are not copied: they are rebuilt from the log.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp("The new store directory to write the backup to.", valueName: "DEST"))
        var destination: String

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let target = destination + "/events"
            if FileManager.default.fileExists(atPath: target + "/data.mdb") {
                throw UserError("\(EscapedText(destination).text) already holds a store; back up into a new directory")
            }
            let report = try store.backup(to: target)
            print("backup: \(destination) (\(report.bytes) bytes, compacted), verified: chain and indexes; digest \(try publishedDigest(of: target, else: report.digest))")
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup's log in place of the store's; the views rebuild themselves from it.",
            discussion: """
                SRC is a backup made by `ledger backup` (or any store directory). It is verified, copied \
                beside the store's log, verified again and swapped in; the replaced log is kept as \
                events.replaced-N. No other ledger process may use the store meanwhile.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp("The backup's store directory.", valueName: "SRC"))
        var source: String

        func run() throws {
            let log = FileManager.default.fileExists(atPath: source + "/events/data.mdb") ? source + "/events" : source
            guard FileManager.default.fileExists(atPath: log + "/data.mdb") else {
                throw UserError("no backup at \(EscapedText(source).text) (expected \(EscapedText(source).text)/events/data.mdb)")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: options.store, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw UserError("--store \(EscapedText(options.store).text) is a file, not a store directory")
            }
            try FileManager.default.createDirectory(atPath: options.store, withIntermediateDirectories: true)
            let report: BackupReport
            do {
                report = try EventStore.restore(from: log, into: options.eventsPath, codec: CaseEventCodec())
            } catch let failure as VerificationFailure {
                throw UserError("the backup at \(EscapedText(source).text) does not verify (\(failure)); nothing was changed")
            } catch let failure as IndexFailure {
                throw UserError("the backup at \(EscapedText(source).text) does not verify (\(failure)); nothing was changed")
            }
            print("restored: \(options.store) now holds the log of \(source); digest \(try publishedDigest(of: options.eventsPath, else: report.digest))")
            if let replaced = report.replaced { print("the replaced log is kept at \(replaced)") }
        }
    }
}

/// The digest `ledger digest` prints for the log in `directory` (tree size and root); the chain
/// digest of a log written before the tree existed.
private func publishedDigest(of directory: String, else chain: ChainDigest) throws -> String {
    let store = try EventStore(directory: directory, codec: CaseEventCodec(), options: .init(readOnly: true))
    return (try? store.treeHead().description) ?? chain.description
}
