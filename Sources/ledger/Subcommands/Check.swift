import ArgumentParser
import CaseDomain
import Foundation
import Ledger
import LedgerProofs

extension LedgerCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a proof bundle with the log's public key alone (no store); exit 0 only when all of it holds.")

        @Argument(help: ArgumentHelp("The bundle written by `ledger prove` (- for stdin).", valueName: "BUNDLE"))
        var bundle: String

        @Option(name: .customLong("public-key"), help: ArgumentHelp("The log's public key file.", valueName: "PREFIX.pub"))
        var publicKey: String

        func run() throws {
            let key = try LogPublicKey(fileText: try readTextFile(publicKey, what: "public key"))
            let json: [UInt8]
            if bundle == "-" {
                json = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: bundle) else { throw UserError("cannot read bundle \(bundle)") }
                json = Array(data)
            }
            let checked: CheckedBundle
            do { checked = try BundleCheck.check(try ProofBundle(json: json), publicKey: key) } catch {
                throw UserError("NOT proven: \(error)")
            }
            var out: [UInt8] = []
            switch checked {
            case let .inclusion(checkpoint, caseNumber, records):
                let claimed = try claimedEvents(json)
                out.append(contentsOf: "proven: case \(caseNumber), \(records.count) event(s), versions 0…\(records.count - 1), in \(checkpoint.origin) at size \(checkpoint.size) (root \(checkpoint.root.hex))\n".utf8)
                for (i, record) in records.enumerated() {
                    let line = try decodedEvent(record)
                    if i < claimed.count, let shown = claimed[i], shown != (try? JSONValue(parsing: line)) {
                        throw UserError("NOT proven: record seq \(record.seq): the bundle's decoded event differs from the record's bytes")
                    }
                    out.append(contentsOf: "\(record.seq)\tv\(record.version)\t".utf8)
                    out.append(contentsOf: line)
                    out.append(10)
                }
            case let .consistency(old, checkpoint):
                out.append(contentsOf: "proven: \(checkpoint.origin) at size \(checkpoint.size) (root \(checkpoint.root.hex)) extends \(TreeHead(size: old.size, root: old.root))\n".utf8)
            }
            writeStdout(out)
        }

        /// The record's event in the interchange form, decoded from the proven bytes.
        private func decodedEvent(_ record: ProvenRecord) throws -> [UInt8] {
            try record.record.withUnsafeBytes { raw in
                do {
                    let view = try EventView(seq: record.seq, record: raw)
                    return InterchangeEvent.line(id: view.id, caseNumber: String(decoding: view.streamBytes, as: UTF8.self),
                                                 type: try view.type, at: view.at, actor: view.actor, data: try view.data())
                } catch {
                    throw UserError("NOT proven: record seq \(record.seq): proven, but its event cannot be decoded (\(error))")
                }
            }
        }

        /// The decoded events the bundle shows, one per record (nil where it shows none).
        private func claimedEvents(_ json: [UInt8]) throws -> [JSONValue?] {
            guard case .object(let top)? = try? JSONValue(parsing: json),
                  case .array(let records)? = top["records"] else { return [] }
            return records.map { record in
                guard case .object(let fields) = record else { return nil }
                return fields["event"]
            }
        }
    }
}
