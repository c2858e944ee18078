import Foundation

/// How to run `ledger` as a user who cannot write a store made by this test process.
///
/// Permission bits do not stop root, and CI runs as root: there the child is started as `nobody`
/// (`setpriv`, else `runuser`), which drops every capability with the user id. A test process
/// that is not root is itself such a user: its children run as they are, on files it made
/// unwritable (mode 0444, folders 0555; the owner's own bits bind it too).
struct Unprivileged: Sendable {
    /// The words before the `ledger` executable (empty: run it directly).
    let launcher: [String]
    /// Who the child runs as, for messages.
    let user: String
    /// The user and group ids of the child, for files it must own (the server's tokens file).
    let uid: uid_t
    let gid: gid_t

    /// The way on this machine, or why there is none (printed when the tests are skipped).
    static let onThisMachine: Result<Unprivileged, HarnessError> = {
        guard getuid() == 0 else {
            return .success(Unprivileged(launcher: [], user: "uid \(getuid())", uid: getuid(), gid: getgid()))
        }
        guard let nobody = getpwnam("nobody") else {
            return .failure(HarnessError("running as root and there is no user `nobody` to drop to"))
        }
        let uid = nobody.pointee.pw_uid, gid = nobody.pointee.pw_gid
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile(atPath:))
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first(where: FileManager.default.isExecutableFile(atPath:))
        if let setpriv {
            return .success(Unprivileged(launcher: [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"],
                                         user: "nobody", uid: uid, gid: gid))
        }
        if let runuser {
            return .success(Unprivileged(launcher: [runuser, "-u", "nobody", "--"], user: "nobody", uid: uid, gid: gid))
        }
        return .failure(HarnessError("running as root and neither setpriv nor runuser is installed to drop to `nobody`"))
    }()

    /// Whether the tests that need it can run; prints why not, once, when they cannot.
    static let available: Bool = {
        switch onThisMachine {
        case .success: return true
        case let .failure(why):
            print("skipping the tests of a store this user cannot write: \(why)")
            return false
        }
    }()

    /// How to start `ledger` as this user: the launcher and the executable, and the environment.
    /// As root, the executable and the reference data are first copied into `folder` (which
    /// the other user can enter): a checkout under a folder only root may enter, such as
    /// `/root`, is out of that user's reach.
    func ledger(copiedInto folder: String) throws -> (program: [String], environment: [String: String]) {
        var environment = ProcessInfo.processInfo.environment
        guard !launcher.isEmpty else { return ([try ledgerExecutable()], environment) }
        let program = folder + "/ledger", seeds = folder + "/seeds"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try ledgerExecutable(), toPath: program)
        try FileManager.default.copyItem(atPath: Unprivileged.checkoutSeeds, toPath: seeds)
        Unprivileged.makeRemovable(folder)
        chmod(program, 0o755)
        environment["LEDGER_SEEDS"] = seeds
        return (launcher + [program], environment)
    }

    /// The checkout's reference data (…/Tests/DamageTests/Unprivileged.swift → …/seeds).
    private static let checkoutSeeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path

    /// Makes every file under `path` mode 0444 and every folder (`path` included) 0555.
    static func makeUnwritable(_ path: String) throws {
        let files = FileManager.default.enumerator(atPath: path)
        while let name = files?.nextObject() as? String {
            let full = path + "/" + name
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
            guard chmod(full, isFolder.boolValue ? 0o555 : 0o444) == 0 else { throw HarnessError("chmod \(full) failed") }
        }
        guard chmod(path, 0o555) == 0 else { throw HarnessError("chmod \(path) failed") }
    }

    /// Makes the folders under `path` writable (0755) and its files readable (0644) again, so the
    /// test can remove it.
    static func makeRemovable(_ path: String) {
        let files = FileManager.default.enumerator(atPath: path)
        chmod(path, 0o755)
        while let name = files?.nextObject() as? String {
            let full = path + "/" + name
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
            chmod(full, isFolder.boolValue ? 0o755 : 0o644)
        }
    }
}

/// Every path under `path` (itself included) with its mode, size and SHA-256, one a line: two
/// listings are equal only when nothing was created, removed, changed or re-moded.
func listingWithHashes(_ path: String) throws -> String {
    var lines: [String] = []
    var names = [""]
    if let files = FileManager.default.enumerator(atPath: path) {
        while let name = files.nextObject() as? String { names.append(name) }
    }
    for name in names.sorted() {
        let full = name.isEmpty ? path : path + "/" + name
        var info = stat()
        guard lstat(full, &info) == 0 else { throw HarnessError("cannot stat \(full)") }
        var line = "\(name.isEmpty ? "." : name) \(String(info.st_mode, radix: 8)) \(info.st_uid):\(info.st_gid) \(info.st_size)"
        if info.st_mode & S_IFMT == S_IFREG { line += " " + (try sha256(full)) }
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

private func sha256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let hash = String(decoding: data, as: UTF8.self).split(separator: " ").first else {
        throw HarnessError("sha256sum \(path) failed")
    }
    return String(hash)
}
