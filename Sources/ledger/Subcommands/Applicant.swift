import ArgumentParser
import CaseDomain
import ContactsVault
import Foundation
import Ledger

extension LedgerCommand {
    struct ApplicantCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "applicant",
            abstract: "Applicants' contacts for call-backs (回访): kept in STORE/contacts, never in the log.",
            discussion: """
            The log names applicants by pseudonym only. Each contact is sealed under the applicant's \
            own key; every read is recorded on the log's ACCESS stream; erasing destroys the key. \
            Docs/PRIVACY.md says where the keys live and how to back them up.
            """,
            subcommands: [Add.self, Show.self, Erase.self, Accesses.self, Key.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store an applicant's contact and print their pseudonym (for submitted's applicant.ref).")
            @OptionGroup var options: StoreOptions
            @OptionGroup var key: PseudonymKeyOption
            @Option(help: "The applicant's name.") var name: String
            @Option(help: "A mainland mobile number, 11 digits.") var mobile: String
            @Option(help: ArgumentHelp("The resident ID-card number, when the hall must keep one (18 characters, checked).",
                                       valueName: "number"))
            var idNumber: String?

            func run() async throws {
                let details = try ContactDetails(name: name, mobile: try MobileNumber(mobile),
                                                 idNumber: try idNumber.map { text throws(VaultError) in try IDCardNumber(text) })
                let pseudonymKey = try key.load()
                let added = try openVault(options).add(details, key: pseudonymKey, at: .now())
                print(added.pseudonym)
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print an applicant's contact, recording the read on the ACCESS stream; or when and why it was erased.")
            @OptionGroup var options: StoreOptions
            @Argument(help: ArgumentHelp("The pseudonym, as `applicant add` printed it.", valueName: "PSEUDONYM"))
            var pseudonym: String
            @Option(help: "Why the contact is read (recorded with the read).") var reason = "回访"
            @Option(help: "Who reads it (recorded with the read). Default: $USER.") var actor: String?
            @Option(help: ArgumentHelp("Read as a clerk of this window, as the server does: refused unless the window holds one of the applicant's cases.",
                                       valueName: "WINDOW"))
            var window: String?
            @Flag(help: "One JSON object instead of lines.") var json = false

            func run() async throws {
                let pseudonym = try Pseudonym(pseudonym)
                let vault = try openVault(options, mustExist: true)
                let actor = actor ?? loginName()
                let reader: ContactsVault.Reader = window.map { .clerk(actor, window: $0) } ?? .custodian(actor)
                switch try await vault.contact(of: pseudonym, readBy: reader, reason: reason) {
                case .contact(let c):
                    if json {
                        var w = JSONWriter()
                        w.beginObject()
                        w.field("pseudonym", c.pseudonym.text)
                        w.field("name", c.details.name)
                        w.field("mobile", c.details.mobile.digits)
                        if let id = c.details.idNumber { w.field("idNumber", id.normalized) }
                        w.field("added", c.addedAt.chinaTime)
                        w.endObject()
                        writeStdout(w.bytes + [10])
                    } else {
                        print("""
                        pseudonym  \(c.pseudonym)
                        name       \(c.details.name)
                        mobile     \(c.details.mobile)
                        ID number  \(c.details.idNumber?.normalized ?? "—")
                        added      \(c.addedAt.chinaTime)
                        """)
                    }
                case .erased(let e):
                    if json {
                        var w = JSONWriter()
                        w.beginObject()
                        w.field("pseudonym", e.pseudonym.text)
                        w.field("erased", e.at.chinaTime)
                        w.field("by", e.actor)
                        w.field("reason", e.reason)
                        w.endObject()
                        writeStdout(w.bytes + [10])
                    } else {
                        print("\(e.pseudonym): contact erased at \(e.at.chinaTime) by \(e.actor): \(e.reason)")
                    }
                }
            }
        }

        struct Erase: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Erase an applicant's contact for good: destroys their key and sealed record; the log is untouched.")
            @OptionGroup var options: StoreOptions
            @Argument(help: ArgumentHelp("The pseudonym.", valueName: "PSEUDONYM"))
            var pseudonym: String
            @Option(help: "Why (recorded; say whose request, not their personal data).") var reason: String
            @Option(help: "Who erases it (recorded). Default: $USER.") var actor: String?

            func run() async throws {
                let pseudonym = try Pseudonym(pseudonym)
                let erasure = try await openVault(options, mustExist: true).erase(pseudonym, by: actor ?? loginName(), reason: reason)
                print("\(erasure.pseudonym): contact erased at \(erasure.at.chinaTime)")
            }
        }

        struct Accesses: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Who read or erased an applicant's contact, when and why (from the log's ACCESS stream).")
            @OptionGroup var options: StoreOptions
            @Argument(help: ArgumentHelp("The pseudonym.", valueName: "PSEUDONYM"))
            var pseudonym: String
            @Flag(help: "One JSON object a line (seq, at, actor, type, reason) instead of a table.") var json = false

            func run() async throws {
                let pseudonym = try Pseudonym(pseudonym)
                let ledger = try CaseLedger(store: try options.openEvents(readOnly: true), calendar: try options.calendar())
                let accesses = try ledger.accesses(of: pseudonym.text)
                if json {
                    var out: [UInt8] = []
                    for a in accesses {
                        var w = JSONWriter()
                        w.beginObject()
                        w.field("seq", Int(a.seq))
                        w.field("at", a.at.chinaTime)
                        w.field("actor", a.actor)
                        w.field("type", a.type.name)
                        w.field("reason", a.access.reason)
                        w.endObject()
                        out += w.bytes + [10]
                    }
                    writeStdout(out)
                    return
                }
                guard !accesses.isEmpty else {
                    print("no read or erasure of \(pseudonym) is recorded")
                    return
                }
                let table = accesses.map { a in [String(a.seq), a.at.chinaTime, a.actor, a.type.name, a.access.reason] }
                print(TextTable(header: ["seq", "at", "actor", "type", "reason"], rows: table, rightAligned: [0]).rendered)
            }
        }

        struct Key: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The district's pseudonym key.", subcommands: [Generate.self])

            struct Generate: ParsableCommand {
                static let configuration = CommandConfiguration(
                    abstract: "Write a new random pseudonym key to FILE (mode 0600; never overwrites).")
                @Option(help: ArgumentHelp("Where to write it: outside the store, backed up on its own.", valueName: "FILE"))
                var out: String

                func run() throws {
                    try PseudonymKey.generate(file: out)
                    print("wrote a new pseudonym key to \(out); back it up apart from the store (Docs/PRIVACY.md)")
                }
            }
        }
    }
}

/// `--key FILE`, or the file named by `$LEDGER_PSEUDONYM_KEY`.
struct PseudonymKeyOption: ParsableArguments {
    @Option(help: ArgumentHelp("The district's pseudonym key file. Default: $LEDGER_PSEUDONYM_KEY.", valueName: "FILE"))
    var key: String?

    func load() throws -> PseudonymKey {
        guard let path = key ?? ProcessInfo.processInfo.environment["LEDGER_PSEUDONYM_KEY"] else {
            throw UserError("no pseudonym key: pass --key FILE or set LEDGER_PSEUDONYM_KEY (create one with `ledger applicant key generate --out FILE`)")
        }
        return try PseudonymKey(file: path)
    }
}

/// The vault in STORE/contacts, over the store's log.
private func openVault(_ options: StoreOptions, mustExist: Bool = false) throws -> ContactsVault {
    let directory = options.store + "/contacts"
    if mustExist, !FileManager.default.fileExists(atPath: directory + "/data.mdb") {
        throw UserError("no contacts vault at \(directory) (add a contact with `ledger applicant add`, or pass --store DIR)")
    }
    return try ContactsVault(directory: directory, ledger: try options.openLedger())
}

private func loginName() -> String {
    ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "custodian"
}
