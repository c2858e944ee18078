import Foundation
import Testing
import TestSupport

/// `ledger token` and `ledger serve` as an operator meets them: a token printed once and listed,
/// the server answering on its port with the store's digest, stopping cleanly on SIGTERM, and
/// refusing to start on a tokens file others can read.
@Suite("ledger token, serve")
struct ServeCommandTests {
    @Test("token add prints a token once, token list shows its holder; serve answers with the store's digest, refuses the token once revoked, and stops on SIGTERM")
    func serveAnswersAndStops() throws {
        let folder = TemporaryDirectory("ledger-cli-serve")
        let store = folder.appending("store"), tokens = folder.appending("tokens.json")
        try ledgerSucceeds(["demo", "--cases", "40", "--store", store])
        // The token goes to stdout (shown once), the note about it to stderr.
        let added = try ledger(["token", "add", "--tokens", tokens, "--role", "auditor", "--name", "audit-1"])
        #expect(added.status == 0, "\(added)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.isEmpty && !token.contains(" "))
        let list = try ledgerSucceeds(["token", "list", "--tokens", tokens])
        #expect(list.stdout.contains("audit-1") && !list.stdout.contains(token), "\(list)")
        let digest = try ledgerSucceeds(["digest", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try ledgerExecutable.get())
        server.arguments = ["serve", "--store", store, "--tokens", tokens, "--port", "\(port)", "--today", "2023-12-29"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        var health = ""
        for _ in 0 ..< 150 where health != "200" {
            usleep(200_000)
            health = try http("http://127.0.0.1:\(port)/healthz").status
        }
        #expect(health == "200")
        #expect(try http("http://127.0.0.1:\(port)/digest").status == "401")
        let answer = try http("http://127.0.0.1:\(port)/digest", token: token)
        #expect(answer.status == "200")
        #expect(answer.body.contains("\"digest\":\"\(digest)\""), "\(answer.body)")

        // Revoked while the server runs: refused from the next request on, no restart.
        try ledgerSucceeds(["token", "revoke", "--tokens", tokens, "audit-1"])
        #expect(try http("http://127.0.0.1:\(port)/digest", token: token).status == "401")

        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }

    @Test("serve refuses a tokens file others can read, in one line")
    func serveRefusesReadableTokens() throws {
        let folder = TemporaryDirectory("ledger-cli-serve")
        let store = folder.appending("store"), tokens = folder.appending("tokens.json")
        try ledgerSucceeds(["demo", "--cases", "5", "--store", store])
        #expect(try ledger(["token", "add", "--tokens", tokens, "--role", "manager", "--name", "m"]).status == 0)
        #expect(chmod(tokens, 0o644) == 0)
        expectOneLineError(try ledger(["serve", "--store", store, "--tokens", tokens, "--port", "1"]), containing: "must be 600")
        expectUsageError(try ledger(["serve", "--store", store, "--port", "0"]), containing: "--port must be 1 to 65535")
    }
}

/// GET `url` with curl; the status code and the body.
private func http(_ url: String, token: String? = nil) throws -> (status: String, body: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "-m", "5", "-w", "\n%{http_code}"] + (token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []) + [url]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.lastIndex(of: "\n") else { return (text, "") }
    return (String(text[text.index(after: split)...]), String(text[..<split]))
}
