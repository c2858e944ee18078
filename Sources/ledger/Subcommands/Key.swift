import ArgumentParser
import Foundation
import LedgerProofs

extension LedgerCommand {
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the key that signs checkpoints.",
            subcommands: [Generate.self])

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a new Ed25519 key pair: PREFIX.key (private, mode 0600) and PREFIX.pub (give it to auditors).")

            @Option(help: ArgumentHelp("Where to write the two files; keep PREFIX.key outside the store.", valueName: "PREFIX"))
            var out: String

            func run() throws {
                let key = LogSigningKey()
                let (privatePath, publicPath) = (out + ".key", out + ".pub")
                for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
                    throw UserError("\(path) exists; choose another --out PREFIX (a key is never overwritten)")
                }
                try writeNewFile(privatePath, key.fileText, mode: 0o600)
                try writeNewFile(publicPath, key.publicKey.fileText, mode: 0o644)
                print("wrote \(privatePath) (keep it private) and \(publicPath) (give it to auditors)")
            }
        }
    }
}

/// Creates `path` with `mode` from the start (never briefly readable by others) and writes `text`.
func writeNewFile(_ path: String, _ text: String, mode: mode_t) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard fd >= 0 else { throw UserError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw UserError("cannot write \(path): \(String(cString: strerror(errno)))") }
}

/// Reads a small text file named on the command line, or says which and why not.
func readTextFile(_ path: String, what: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw UserError("cannot read \(what) \(path)") }
    return String(decoding: data, as: UTF8.self)
}
