import Foundation
import Ledger

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    public var lines: Int
    /// Events appended.
    public var appended: Int
    /// Events whose id was already in the log with the same content (re-imports).
    public var alreadyRecorded: Int
    public var cases: Int
    public var head: ChainDigest
}

extension CaseLedger {
    /// Imports a JSON Lines file: all of it, or — when any line is bad, or breaks the case rules —
    /// nothing. The file is read line by line inside ONE write transaction: each line is parsed,
    /// checked against its case as the log and the lines before it left it, and appended; the
    /// first bad line aborts the transaction. Memory does not grow with the file (only LMDB's
    /// dirty pages do). Lines whose id is already recorded with the same content are skipped
    /// (importing a file twice appends it once). A line without an id gets one derived from the
    /// line's bytes, so the same line imported twice is recorded once. Other appends wait while
    /// an import runs.
    ///
    /// - Throws: `InterchangeError.line(n, reason)` for the first bad line; nothing is written.
    public func importJSONLines(contentsOf url: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ImportSummary {
        // Opened once here so that a missing file is one line before the writer is involved.
        _ = try LineFile(path: url.path)
        let path = url.path
        return try await importLines(progress: progress) { body in
            let file = try LineFile(path: path)
            try file.forEachLine(body)
        }
    }

    /// Imports JSON Lines held in memory; see `importJSONLines(contentsOf:)`.
    public func importJSONLines(_ data: Data, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ImportSummary {
        try await importLines(progress: progress) { body in
            try data.withUnsafeBytes { bytes in try forEachLine(in: bytes, body) }
        }
    }

    private func importLines(progress: (@Sendable (Int, Int) -> Void)?,
                             readLines: @escaping @Sendable (_ body: (UnsafeRawBufferPointer, _ read: Int, _ total: Int) throws -> Void) throws -> Void)
        async throws -> ImportSummary {
        let start = self.rules
        let outcome = try await store.appendAtomically { session in
            // May run again from the top when the map grows: everything starts afresh here.
            var importer = LineImporter(rules: start)
            try readLines { raw, read, total in
                try importer.importLine(raw, into: &session)
                if let progress, importer.lines % 10_000 == 0 { progress(read, total) }
            }
            return importer.outcome(head: session.head)
        }
        replaceCatalog(outcome.catalog)
        replaceGrants(outcome.grants)
        return outcome.summary
    }
}

/// The state of one import run: the rules (whose catalog the import's catalog lines change), the
/// cases it touched lately, and the line of each event it appended (to name a repeated id).
private struct LineImporter {
    var rules: CaseRules
    var lines = 0
    var appended = 0
    var replays = 0
    var cases = Set<CaseNumber>()
    /// The line of each event this run appended, by seq after the session's start.
    var lineOfEvent: [UInt32] = []
    /// Recently touched cases; bounded, and refilled from the log (this transaction's view of it).
    var recentFiles: [CaseNumber: CaseFile] = [:]
    static let recentLimit = 4096

    init(rules: CaseRules) { self.rules = rules }

    mutating func importLine(_ raw: UnsafeRawBufferPointer, into session: inout AppendSession) throws {
        lines += 1
        if raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
        let line = lines
        func fail(_ reason: String) -> InterchangeError { .line(line, reason) }

        let parsed: InterchangeEvent
        do { parsed = try InterchangeEvent(line: raw[...]) } catch { throw fail(error.description) }
        let id = parsed.id ?? NewEvent.contentID(line: raw)
        if let seq = try session.seq(ofEventID: id) {
            if seq > session.startHead.seq {
                let earlier = lineOfEvent[Int(seq - session.startHead.seq - 1)]
                throw fail("event id \(id.uuidString.lowercased()) is also on line \(earlier); each event needs its own id")
            }
            guard try session.withEvent(seq: seq, { view in
                try isRecorded(parsed.request, to: parsed.caseNumber, at: parsed.at, actor: parsed.actor, as: view.recorded())
            }) == true else {
                throw fail(LedgerError.idConflict(id: id, seq: seq).description)
            }
            replays += 1
            return
        }
        var file = try caseFile(parsed.caseNumber, session)
        let admitted: EventData
        do { admitted = try rules.admit(parsed.request, at: parsed.at, by: parsed.actor, to: file) } catch { throw fail(error.description) }
        let event = NewEvent(id: id, admitted, at: parsed.at, actor: parsed.actor)
        let expected: ExpectedVersion = file.version.map { .exact($0) } ?? .noStream
        do {
            _ = try session.append(AppendRequest(stream: parsed.caseNumber, expected: expected, events: [event]))
        } catch let refusal as LedgerError {
            throw fail(refusal.description)
        }
        lineOfEvent.append(UInt32(truncatingIfNeeded: line))
        appended += 1
        cases.insert(parsed.caseNumber)
        file.apply(admitted, at: parsed.at)
        if recentFiles.count >= LineImporter.recentLimit { recentFiles.removeAll(keepingCapacity: true) }
        recentFiles[parsed.caseNumber] = file
        if parsed.caseNumber == .catalog { rules.catalog.apply(admitted, at: parsed.at) }
        if parsed.caseNumber == .administration { rules.grants.apply(admitted, at: parsed.at, actor: parsed.actor) }
    }

    /// The case as the log (with this import's appends) leaves it.
    private func caseFile(_ number: CaseNumber, _ session: AppendSession) throws -> CaseFile {
        if let file = recentFiles[number] { return file }
        var file = CaseFile(caseNumber: number)
        try session.scan(of: number) { view in
            try file.apply(try view.type, at: view.at) { () throws(ByteDecodingError) in try view.data() }
            return true
        }
        return file
    }

    func outcome(head: ChainDigest) -> ImportOutcome {
        ImportOutcome(summary: ImportSummary(lines: lines, appended: appended, alreadyRecorded: replays, cases: cases.count, head: head),
                      catalog: rules.catalog, grants: rules.grants)
    }
}

private struct ImportOutcome: Sendable {
    var summary: ImportSummary
    var catalog: Catalog
    var grants: GrantBook
}

/// Calls `body` with each line of `bytes` (without its newline), the bytes read so far and the total.
private func forEachLine(in bytes: UnsafeRawBufferPointer,
                         _ body: (UnsafeRawBufferPointer, _ read: Int, _ total: Int) throws -> Void) throws {
    var start = 0
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
        let next = end < bytes.count ? end + 1 : end
        try body(UnsafeRawBufferPointer(rebasing: bytes[start ..< end]), next, bytes.count)
        start = next
    }
}

/// A file read line by line through one reusable buffer (getline), so memory stays flat however
/// long the file is.
private final class LineFile {
    private let handle: UnsafeMutablePointer<FILE>
    private let path: String
    let size: Int

    init(path: String) throws {
        guard let handle = fopen(path, "rb") else {
            throw InterchangeError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        guard fstat(fileno(handle), &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else {
            fclose(handle)
            throw InterchangeError.unreadable(path: path, reason: "it is a folder, not a file")
        }
        self.handle = handle
        self.path = path
        size = Int(st.st_size)
    }

    deinit { fclose(handle) }

    func forEachLine(_ body: (UnsafeRawBufferPointer, _ read: Int, _ total: Int) throws -> Void) throws {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var read = 0
        while true {
            errno = 0
            let count = getline(&buffer, &capacity, handle)
            guard count >= 0, let buffer else {
                if ferror(handle) != 0 { throw InterchangeError.unreadable(path: path, reason: String(cString: strerror(errno))) }
                return
            }
            read += count
            var length = count
            if length > 0, buffer[length - 1] == 10 { length -= 1 }
            try body(UnsafeRawBufferPointer(start: buffer, count: length), read, size)
        }
    }
}

