import ArgumentParser
import CaseDomain
import Foundation
import Ledger
import LedgerProofs

extension LedgerCommand {
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a proof bundle (JSON) to stdout: a case's records against a checkpoint, or that the log extends an older digest.",
            discussion: """
            ledger prove CASE --checkpoint FILE         the case's records, each with its inclusion path
            ledger prove CASE --at SIZE --key K.key     the same against a checkpoint signed now at SIZE
            ledger prove --from SIZE:HEX --checkpoint FILE   the log at FILE extends the older digest
            Check a bundle anywhere with `ledger check BUNDLE --public-key K.pub` (Docs/PROOFS.md).
            """)

        @OptionGroup var options: StoreOptions
        @OptionGroup var signing: SigningOptions

        @Argument(help: ArgumentHelp("The case to prove (omit with --from).", valueName: "CASE"))
        var caseNumber: String?

        @Option(help: ArgumentHelp("A signed checkpoint of this log (from `ledger checkpoint`) to prove against.", valueName: "FILE"))
        var checkpoint: String?

        @Option(help: "Prove against the tree of the first SIZE records, signing its checkpoint with --key.")
        var at: UInt64?

        @Option(help: ArgumentHelp("Prove that the log extends this older digest (from `ledger digest` or a checkpoint).", valueName: "SIZE:HEX"))
        var from: String?

        func validate() throws {
            if checkpoint != nil && at != nil { throw ValidationError("give --checkpoint FILE or --at SIZE, not both") }
            switch (caseNumber, from) {
            case (nil, nil): throw ValidationError("name a CASE to prove, or give --from SIZE:HEX for a consistency proof")
            case (_?, _?): throw ValidationError("give a CASE or --from SIZE:HEX, not both")
            case (nil, let from?):
                guard TreeHead(from) != nil else {
                    throw ValidationError("--from must be SIZE:HEX with 64 hex digits, as `ledger digest` prints it")
                }
            case (_?, nil):
                if checkpoint == nil && at == nil { throw ValidationError("give --checkpoint FILE or --at SIZE to prove against") }
            }
        }

        func run() throws {
            let store = try options.openForProofs()
            let signed = try checkpointToProveAgainst(store)
            let bundle: ProofBundle
            if let from, let old = TreeHead(from) {
                bundle = try consistency(store, old: old, against: signed)
            } else {
                bundle = try inclusion(store, number: try caseNumberArgument(caseNumber ?? ""), against: signed)
            }
            writeStdout(bundle.json)
        }

        /// The given checkpoint (which must be of this log), or one signed now.
        private func checkpointToProveAgainst(_ store: EventStore) throws -> SignedCheckpoint {
            guard let checkpoint else { return try signing.sign(try at.map { try store.treeHead(size: $0) } ?? store.treeHead()) }
            let signed = try SignedCheckpoint(unverifiedText: try readTextFile(checkpoint, what: "checkpoint"))
            let head = try store.treeHead(size: signed.checkpoint.size)
            guard head.root == signed.checkpoint.root else {
                throw UserError("checkpoint \(checkpoint) is not of this log: its root at size \(head.size) differs from the store's \(head.root.hex)")
            }
            return signed
        }

        private func inclusion(_ store: EventStore, number: CaseNumber, against signed: SignedCheckpoint) throws -> ProofBundle {
            var records: [ProvenRecord] = []
            try store.forEachProvenEvent(of: number, size: signed.checkpoint.size) { view, path in
                let event = InterchangeEvent.line(id: view.id, caseNumber: String(decoding: view.streamBytes, as: UTF8.self),
                                                  type: try view.type, at: view.at, actor: view.actor, data: try view.data())
                records.append(ProvenRecord(seq: view.seq, version: view.version, record: Array(view.record), path: path, event: event))
            }
            guard !records.isEmpty else {
                throw UserError("case \(number) has no events in the first \(signed.checkpoint.size) records")
            }
            return .inclusion(checkpoint: signed.text, caseNumber: number.rawValue, records: records)
        }

        private func consistency(_ store: EventStore, old: TreeHead, against signed: SignedCheckpoint) throws -> ProofBundle {
            guard old.size <= signed.checkpoint.size else {
                throw UserError("--from names \(old.size) records, more than the checkpoint's \(signed.checkpoint.size)")
            }
            let (storedOld, _, proof) = try store.consistencyProof(from: old.size, to: signed.checkpoint.size)
            guard storedOld.root == old.root else {
                throw UserError("this log's root at size \(old.size) is \(storedOld.root.hex), not the given \(old.root.hex): it does not extend that digest")
            }
            return .consistency(oldSize: old.size, oldRoot: old.root, checkpoint: signed.text, proof: proof)
        }
    }
}
