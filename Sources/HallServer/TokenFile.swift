import Crypto
import Foundation

/// One issued token as the tokens file keeps it: never the token itself, only its SHA-256.
public struct TokenRecord: Sendable, Hashable, Codable {
    /// Short public handle (the hash's first 12 hex digits), for `token list` and `revoke`.
    public var id: String
    public var name: String
    public var role: HallRole
    public var windows: [String]
    public var departments: [String]
    /// SHA-256 of the token, hex.
    public var sha256: String
    public var created: String
    public var revoked: String?
    /// Who issued and who revoked it over the API (nil for the CLI's, which runs as the file's owner).
    public var issuedBy: String?
    public var revokedBy: String?

    public var principal: Principal {
        Principal(name: name, role: role, windows: Set(windows), departments: Set(departments))
    }
}

/// Why the tokens file could not be used.
public struct TokenFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The tokens file: a JSON array of `TokenRecord`, mode 0600 (readable by the server's user only).
public struct TokenFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The records; an absent file has none. Refuses a file that others may read or write.
    public func load() throws -> [TokenRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        try checkMode()
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenFileError("cannot read the tokens file \(path): \((error as NSError).localizedDescription)")
        }
        do { return try JSONDecoder().decode([TokenRecord].self, from: data) } catch {
            throw TokenFileError("the tokens file \(path) is not a JSON array of tokens; restore it or create a new one with `ledger token add`")
        }
    }

    /// Tokens grant writes to the ledger: a file others can read leaks them (as hashes, but
    /// still), one others can write lets them mint tokens.
    public func checkMode() throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TokenFileError("cannot stat the tokens file \(path)") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw TokenFileError("the tokens file \(path) has mode \(String(mode, radix: 8)); it must be 600 (run: chmod 600 \(path))")
        }
    }

    /// Writes the records atomically with mode 0600.
    public func save(_ records: [TokenRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(records)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TokenFileError("cannot write \(temporary)")
        }
        chmod(temporary, 0o600)
        guard rename(temporary, path) == 0 else { throw TokenFileError("cannot replace \(path): \(String(cString: strerror(errno)))") }
    }

    /// Issues a token: returns it (shown once) and records its hash.
    public func add(name: String, role: HallRole, windows: [String], departments: [String], issuedBy: String? = nil,
                    now: Date = Date()) throws -> (token: String, record: TokenRecord) {
        try exclusively { try append(name: name, role: role, windows: windows, departments: departments, issuedBy: issuedBy, now: now) }
    }

    private func append(name: String, role: HallRole, windows: [String], departments: [String], issuedBy: String?,
                        now: Date) throws -> (token: String, record: TokenRecord) {
        var records = try load()
        let token = TokenFile.newToken()
        let hash = TokenFile.hash(token)
        let record = TokenRecord(id: String(hash.prefix(12)), name: name, role: role, windows: windows, departments: departments,
                                 sha256: hash, created: ISO8601DateFormatter().string(from: now), revoked: nil, issuedBy: issuedBy)
        records.append(record)
        try save(records)
        return (token, record)
    }

    /// Marks the tokens with this id or name revoked; returns how many.
    public func revoke(_ idOrName: String, now: Date = Date()) throws -> Int {
        try exclusively { try revokeUnlocked(idOrName, now: now) }
    }

    private func revokeUnlocked(_ idOrName: String, now: Date) throws -> Int {
        var records = try load()
        var count = 0
        for i in records.indices where records[i].revoked == nil && (records[i].id == idOrName || records[i].name == idOrName) {
            records[i].revoked = ISO8601DateFormatter().string(from: now)
            count += 1
        }
        if count > 0 { try save(records) }
        return count
    }

    /// Marks the token with this id revoked by `actor`; returns its record as it now stands, or
    /// nil when no token has the id. One already revoked is returned unchanged.
    public func revoke(id: String, by actor: String, now: Date = Date()) throws -> TokenRecord? {
        try exclusively { try revokeUnlocked(id: id, by: actor, now: now) }
    }

    private func revokeUnlocked(id: String, by actor: String, now: Date) throws -> TokenRecord? {
        var records = try load()
        guard let index = records.firstIndex(where: { $0.id == id }) else { return nil }
        guard records[index].revoked == nil else { return records[index] }
        records[index].revoked = ISO8601DateFormatter().string(from: now)
        records[index].revokedBy = actor
        try save(records)
        return records[index]
    }

    /// Runs a read-change-write of the file holding an exclusive `flock` on `PATH.lock`, so
    /// `ledger token add` and a running server's admin never overwrite each other's change.
    private func exclusively<R>(_ body: () throws -> R) throws -> R {
        let descriptor = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TokenFileError("cannot open \(path).lock: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw TokenFileError("cannot lock \(path).lock: \(String(cString: strerror(errno)))") }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// 32 random bytes, URL-safe base64, with a prefix that says what it is.
    static func newToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "hall_" + base64
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The server's view of the tokens: who a presented token belongs to.
public struct TokenAuthority: Sendable {
    private let entries: [(hash: [UInt8], principal: Principal)]

    public init(records: [TokenRecord]) {
        entries = records.compactMap { record in
            guard record.revoked == nil, let hash = TokenAuthority.bytes(hex: record.sha256) else { return nil }
            return (hash, record.principal)
        }
    }

    /// The token's holder, or nil. Every stored hash is compared in full, in constant time, so the
    /// time taken says nothing about how much of a token matched or which entry did.
    public func principal(for token: String) -> Principal? {
        let presented = Array(SHA256.hash(data: Array(token.utf8)))
        var found: Principal?
        for entry in entries {
            var difference: UInt8 = 0
            for i in 0 ..< 32 { difference |= entry.hash[i] ^ presented[i] }
            if difference == 0 { found = entry.principal }
        }
        return found
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i ... i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
