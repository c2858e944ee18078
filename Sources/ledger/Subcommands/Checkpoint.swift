import ArgumentParser
import Foundation
import Ledger
import LedgerProofs

extension LedgerCommand {
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a signed checkpoint of the log (C2SP tlog-checkpoint): publish it; proofs are checked against it.")

        @OptionGroup var options: StoreOptions
        @OptionGroup var signing: SigningOptions

        @Option(help: "Sign the tree of the first SIZE records instead of the whole log.")
        var at: UInt64?

        func run() throws {
            let store = try options.openForProofs()
            let head = try at.map { try store.treeHead(size: $0) } ?? store.treeHead()
            print(try signing.sign(head).text, terminator: "")
        }
    }
}

/// The signing key and the log's name, for commands that sign a checkpoint.
struct SigningOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The private key file written by `ledger key generate`.", valueName: "PREFIX.key"))
    var key: String?

    @Option(help: ArgumentHelp("The log's name on the checkpoint's first line (default: HOST/ledger).", valueName: "NAME"))
    var origin: String?

    func validate() throws {
        if let origin, !LedgerProofs.Checkpoint.isValidOrigin(origin) {
            throw ValidationError("--origin must be non-empty, without spaces or '+', e.g. bureau.example/ledger")
        }
    }

    var originName: String { origin ?? ProcessInfo.processInfo.hostName + "/ledger" }

    func sign(_ head: TreeHead) throws -> SignedCheckpoint {
        guard let key else { throw UserError("signing a checkpoint needs --key PREFIX.key (see `ledger key generate`)") }
        let signingKey = try LogSigningKey(fileText: try readTextFile(key, what: "key file"))
        return try SignedCheckpoint(signing: .init(origin: originName, size: head.size, root: head.root), with: signingKey)
    }
}

extension StoreOptions {
    /// Opens an existing store for proofs: for writing, so that a store written before the tree
    /// existed gets it built first (appenders in other processes are not disturbed).
    func openForProofs() throws -> EventStore {
        guard FileManager.default.fileExists(atPath: eventsPath + "/data.mdb") else {
            throw UserError("no store at \(store) (create one with `ledger import` or `ledger demo`, or pass --store DIR)")
        }
        return try openEvents(readOnly: false)
    }
}
