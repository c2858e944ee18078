import Foundation
import Ledger
import Synchronization

/// The ledger as the hall uses it: the event store, with every event checked by the case rules
/// against the case's current state before it is appended.
///
/// ```swift
/// let ledger = try CaseLedger(store: store, calendar: calendar)
/// try await ledger.record(.visited, to: caseNumber, at: .now(), actor: "clerk-07")
/// ```
public final class CaseLedger: Sendable {
    public let store: EventStore
    public let calendar: WorkCalendar
    private let catalogState: Mutex<Catalog>
    /// The hall's windows and clerks; nil for a ledger opened without them (then windows and
    /// grants are not checked — the CLI and the server always give them).
    public let hall: HallRoster?
    let grantState: Mutex<GrantBook>

    /// Opens the ledger over `store`, reading the catalog from its catalog stream and the grants
    /// from its administration stream. With `hall` (the windows seed), acceptances and transfers
    /// must name its windows and accept only the departments a window hosts or a clerk was
    /// granted (Docs/HALLRULES.md).
    public init(store: EventStore, calendar: WorkCalendar, hall: HallRoster? = nil) throws {
        self.store = store
        self.calendar = calendar
        var catalog = Catalog()
        try store.scan(of: CaseNumber.catalog) { catalog.apply(try $0.data(), at: $0.at); return true }
        catalogState = Mutex(catalog)
        self.hall = hall
        grantState = Mutex(try GrantBook.read(from: store))
    }

    /// Every department granted to a clerk, as the administration stream has it now.
    public var grants: GrantBook { grantState.withLock { $0 } }

    /// The catalog in force.
    public var catalog: Catalog { catalogState.withLock { $0 } }

    var rules: CaseRules { CaseRules(catalog: catalog, calendar: calendar, hall: hall, grants: grants) }

    /// The case as its events make it.
    public func file(of caseNumber: CaseNumber) throws -> CaseFile {
        try file(of: caseNumber, asOf: nil)
    }

    /// The case as it stood at `moment` (its events up to then), or now.
    public func file(of caseNumber: CaseNumber, asOf moment: Timestamp?) throws -> CaseFile {
        var file = CaseFile(caseNumber: caseNumber)
        try store.scan(of: caseNumber) { view in
            if let moment, view.at > moment { return false }
            try file.apply(try view.type, at: view.at) { () throws(ByteDecodingError) in try view.data() }
            return true
        }
        return file
    }

    /// Checks `data` against the case and appends it, durably.
    ///
    /// Retrying with the same `id` is safe: an event already recorded returns its original
    /// position. A concurrent change to the case is handled by checking again.
    /// - Throws: `RuleViolation` when the case's state does not allow the event (nothing is
    ///   written); `LedgerError` for id conflicts and invalid case numbers or actors.
    @discardableResult
    public func record(_ data: EventData, to caseNumber: CaseNumber, at: Timestamp, actor: String,
                       id: UUID = .timeOrdered()) async throws -> Position {
        try await record(EventRequest(data), to: caseNumber, at: at, actor: actor, id: id)
    }

    /// Checks `request` against the case and appends what the rules admit, durably; see
    /// `record(_:to:at:actor:id:)`. An acceptance may leave its limits and deadline to the ledger.
    @discardableResult
    public func record(_ request: EventRequest, to caseNumber: CaseNumber, at: Timestamp, actor: String,
                       id: UUID = .timeOrdered()) async throws -> Position {
        if let seq = try store.seq(ofEventID: id) {
            // A retry: the recorded event must be this one.
            guard let stored = try store.events(from: seq, limit: 1).first, stored.seq == seq,
                  try isRecorded(request, to: caseNumber, at: at, actor: actor, as: stored)
            else { throw LedgerError.idConflict(id: id, seq: seq) }
            return Position(seq: stored.seq, version: stored.version)
        }
        var attempts = 0
        while true {
            let file = try file(of: caseNumber)
            let admitted = try rules.admit(request, at: at, by: actor, to: file)
            let event = NewEvent(id: id, type: admitted.type, at: at, actor: actor, payload: admitted.encoded())
            do {
                let expected: ExpectedVersion = file.version.map { .exact($0) } ?? .noStream
                let result = try await store.append(to: caseNumber, expected: expected, events: [event])
                if caseNumber == .catalog { catalogState.withLock { $0.apply(admitted, at: at) } }
                if caseNumber == .administration { grantState.withLock { $0.apply(admitted, at: at, actor: actor) } }
                return result.positions[0]
            } catch LedgerError.wrongExpectedVersion where attempts < 5 {
                attempts += 1
            }
        }
    }

    /// Publishes the items of a catalog file (one JSON object per line, as in `seeds/catalog.jsonl`)
    /// that are not in the catalog yet, in one atomic append. Returns how many were published.
    @discardableResult
    public func publishCatalog(items: [CatalogItem], at: Timestamp, actor: String) async throws -> Int {
        var catalog = self.catalog
        var events: [NewEvent] = []
        for item in items where catalog[item.code] != item {
            let data: EventData = catalog[item.code] == nil ? .itemPublished(item) : .itemRevised(item)
            try catalog.check(data, at: at)
            catalog.apply(data, at: at)
            let payload = data.encoded()
            // The id derives from the content, so publishing the same catalog is deterministic
            // (the demo's log is byte-identical for a seed) and a retried publication is recorded once.
            var identity = ByteWriter(capacity: payload.count + 32)
            identity.i64(at.milliseconds)
            identity.string(actor)
            identity.raw(payload)
            events.append(NewEvent(id: NewEvent.contentID(line: identity.bytes), type: data.type, at: at, actor: actor, payload: payload))
        }
        guard !events.isEmpty else { return 0 }
        let version = try store.version(of: .catalog)
        _ = try await store.append(to: .catalog, expected: version.map { .exact($0) } ?? .noStream, events: events)
        catalogState.withLock { $0 = catalog }
        return events.count
    }

    func replaceCatalog(_ catalog: Catalog) { catalogState.withLock { $0 = catalog } }
    func replaceGrants(_ grants: GrantBook) { grantState.withLock { $0 = grants } }
}
