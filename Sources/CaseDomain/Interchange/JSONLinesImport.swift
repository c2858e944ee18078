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
    /// nothing. Every line is parsed and checked first; then the events are appended in file order
    /// in ONE write transaction. Lines whose id is already recorded with the same content are
    /// skipped (importing a file twice appends it once). A line without an id gets one derived
    /// from the line's bytes, so the same line imported twice is recorded once.
    ///
    /// - Throws: `InterchangeError.line(n, reason)` for the first bad line; nothing is written.
    public func importJSONLines(contentsOf url: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ImportSummary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InterchangeError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try await importJSONLines(data, progress: progress)
    }

    /// Imports JSON Lines held in memory; see `importJSONLines(contentsOf:)`.
    public func importJSONLines(_ data: Data, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ImportSummary {
        let plan = try planImport(data, progress: progress)
        guard !plan.requests.isEmpty else {
            return ImportSummary(lines: plan.lines, appended: 0, alreadyRecorded: plan.replays, cases: 0, head: try store.digest())
        }
        let results: [AppendResult]
        do {
            results = try await store.appendAll(plan.requests)
        } catch let error as BatchAppendError {
            throw InterchangeError.line(plan.requestLines[error.index], error.error.description)
        }
        replaceCatalog(plan.catalog)
        let recorded = results.filter(\.alreadyRecorded).reduce(0) { $0 + $1.positions.count }
        let appended = results.reduce(0) { $0 + $1.positions.count } - recorded
        return ImportSummary(lines: plan.lines, appended: appended, alreadyRecorded: recorded + plan.replays,
                             cases: Set(plan.requests.map(\.stream)).count, head: try store.digest())
    }

    /// What an import will append, checked line by line against the case rules.
    private struct ImportPlan {
        /// Consecutive lines of one case form one request (one expected version).
        var requests: [AppendRequest] = []
        /// The first line of each request, to name it when the writer refuses it.
        var requestLines: [Int] = []
        var lines = 0
        /// Lines already recorded with the same content.
        var replays = 0
        var catalog: Catalog
    }

    /// Parses and checks every line; the first bad one throws `InterchangeError.line`.
    private func planImport(_ data: Data, progress: (@Sendable (Int, Int) -> Void)?) throws -> ImportPlan {
        try data.withUnsafeBytes { bytes in try planImport(bytes, progress: progress) }
    }

    private func planImport(_ bytes: UnsafeRawBufferPointer, progress: (@Sendable (Int, Int) -> Void)?) throws -> ImportPlan {
        var rules = self.rules
        var plan = ImportPlan(catalog: rules.catalog)
        var files: [CaseNumber: CaseFile] = [:]
        var linesOfIDs: [UUID: Int] = [:]
        let total = bytes.count
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            plan.lines += 1
            let raw = bytes[start ..< end]
            start = end < bytes.count ? end + 1 : end
            if raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let line = plan.lines
            func fail(_ reason: String) -> InterchangeError { .line(line, reason) }

            let parsed: InterchangeEvent
            do { parsed = try InterchangeEvent(line: raw) } catch { throw fail(error.description) }
            let id = parsed.id ?? NewEvent.contentID(line: raw)
            // Two lines with one id: name the second line (the batch append would name only the
            // first line of the case's run, or let the repeat pass silently in another run).
            if let earlier = linesOfIDs.updateValue(line, forKey: id) {
                throw fail("event id \(id.uuidString.lowercased()) is also on line \(earlier); each event needs its own id")
            }
            if let seq = try store.seq(ofEventID: id) {
                guard try isRecorded(parsed, at: seq) else {
                    throw fail(LedgerError.idConflict(id: id, seq: seq).description)
                }
                plan.replays += 1
                continue
            }
            var file = try files[parsed.caseNumber] ?? self.file(of: parsed.caseNumber)
            let admitted: EventData
            do { admitted = try rules.admit(parsed.data, at: parsed.at, to: file) } catch { throw fail(error.description) }
            let event = NewEvent(id: id, type: admitted.type, at: parsed.at, actor: parsed.actor, payload: admitted.encoded())
            if plan.requests.last?.stream == parsed.caseNumber {
                plan.requests[plan.requests.count - 1].events.append(event)
            } else {
                let expected: ExpectedVersion = file.version.map { .exact($0) } ?? .noStream
                plan.requests.append(AppendRequest(stream: parsed.caseNumber, expected: expected, events: [event]))
                plan.requestLines.append(line)
            }
            file.apply(admitted, at: parsed.at)
            files[parsed.caseNumber] = file
            if parsed.caseNumber == .catalog { rules.catalog.apply(admitted) }
            if let progress, plan.lines % 10_000 == 0 { progress(start, total) }
        }
        progress?(total, total)
        plan.catalog = rules.catalog
        return plan
    }

    /// Whether the event recorded at `seq` is the line's event: same case, type, time, actor and
    /// data (an `accepted` line may leave out the limits and deadline the ledger filled in).
    private func isRecorded(_ line: InterchangeEvent, at seq: UInt64) throws -> Bool {
        guard let stored = try store.events(from: seq, limit: 1).first, stored.seq == seq else { return false }
        guard stored.stream == line.caseNumber, try stored.type == line.data.type, stored.at == line.at,
              stored.actor == line.actor else { return false }
        let data = try stored.data()
        if case .accepted(let recorded) = data, case .accepted(var given) = line.data {
            if given.legalDays < 0 { given.legalDays = recorded.legalDays }
            if given.promisedDays < 0 { given.promisedDays = recorded.promisedDays }
            if given.deadline.dayNumber == .min { given.deadline = recorded.deadline }
            return given == recorded
        }
        return data == line.data
    }
}
