import ArgumentParser
import CaseDomain
import Foundation
import Ledger

extension LedgerCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import events from a JSON Lines file (the interchange format of Docs/DOMAIN.md).",
            discussion: """
            The import is all or nothing: every line is parsed and checked against the case rules \
            first, then the whole file is appended in one transaction. If any line is bad, the \
            first bad line is reported with its number and reason, and nothing is written. \
            Lines whose id is already in the log with the same content are skipped, so importing \
            a file twice records it once. A catalog file of items (seeds/catalog.jsonl) is \
            imported with --catalog: its items come into force on the date its first line states \
            ("effective"), or at --at.
            """
        )

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp("The JSON Lines file.", valueName: "FILE.jsonl"))
        var file: String

        @Flag(help: "FILE is a catalog of items, one object a line; publish the new and changed ones.")
        var catalog = false

        @Option(help: ArgumentHelp("With --catalog: when the items come into force, instead of the file's effective date: YYYY-MM-DD (00:00 CST) or RFC 3339.",
                                   valueName: "DATETIME"), transform: parseStartMoment)
        var at: Timestamp?

        func validate() throws {
            if at != nil, !catalog { throw ValidationError("--at dates a catalog: give it with --catalog") }
        }

        func run() async throws {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else { throw UserError("no such file: \(file)") }
            guard !isFolder.boolValue else { throw UserError("\(file) is a folder: give a JSON Lines file") }
            let ledger = try options.openLedger()
            if catalog {
                let catalogFile = try CatalogFile.load(from: URL(fileURLWithPath: file))
                guard let inForce = at ?? catalogFile.effective.map(Timestamp.init(startOf:)) else {
                    throw UserError("\(file) does not say when its items come into force: give --at YYYY-MM-DD, or a first line {\"catalog\":\"…\",\"effective\":\"YYYY-MM-DD\"}")
                }
                let items = catalogFile.items
                let published = try await ledger.publishCatalog(items: items, at: inForce, actor: "catalog-admin")
                print("published \(published) of \(items.count) items in force from \(inForce.chinaTime); head \(try ledger.store.digest())")
                return
            }
            let progress = ProgressLine("import")
            let summary = try await ledger.importJSONLines(contentsOf: URL(fileURLWithPath: file)) { done, total in
                progress.update(done, of: total, unit: "bytes")
            }
            progress.finish()
            print("imported \(summary.appended) events (\(summary.alreadyRecorded) already recorded) for \(summary.cases) cases; head \(summary.head)")
        }
    }
}
