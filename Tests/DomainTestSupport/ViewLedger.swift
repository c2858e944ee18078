import CaseDomain
import Foundation
import Ledger
import ProjectionKit
import CaseStatistics
import TestSupport

/// A ledger over a temporary store with a small test catalog, and a runner with one projection:
/// the fixture of the read models' tests.
public final class ViewLedger: @unchecked Sendable {
    public let directory = TemporaryDirectory("view-ledger")
    public let store: EventStore
    public let ledger: CaseLedger
    public let runner: ProjectionRunner

    /// The package root (the nearest folder above this file holding Package.swift).
    public static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    public static let calendar = Result { try WorkCalendar.load(directory: root.appendingPathComponent("seeds/calendars")) }

    public init(items: [CatalogItem], projection: (WorkCalendar) -> any Projection) async throws {
        let calendar = try Self.calendar.get()
        store = try EventStore(directory: directory.appending("events"), codec: CaseEventCodec(), options: .init(initialMapSize: 16 << 20, durable: false))
        ledger = try CaseLedger(store: store, calendar: calendar)
        try await ledger.publishCatalog(items: items, at: at("2023-01-01T00:00:00+08:00"), actor: "catalog-admin")
        runner = try ProjectionRunner(store: store, directory: directory.appending("views"), projections: [projection(calendar)])
    }

    /// Records a case's events in order: (RFC 3339 time, event). An `accepted` is recorded as a
    /// clerk gives it: its item and window only (`asClerkGivesIt`).
    public func record(_ number: String, _ events: [(String, EventData)]) async throws {
        for (time, data) in events {
            try await ledger.record(asClerkGivesIt(data), to: try CaseNumber(number), at: at(time), actor: "clerk-01")
        }
    }
}

/// A catalog item for the tests.
public func item(_ code: String, legal: Int, promised: Int, level: ServiceLevel, department: String) -> CatalogItem {
    CatalogItem(code: code, name: "事项\(code)", department: department, level: level, legalDays: legal, promisedDays: promised,
                caseType: promised == 0 ? .immediate : .promised, onlineCapable: true, maxVisits: 1,
                crossProvince: false, metroCircle: false, themes: [])
}

public func at(_ text: String) -> Timestamp {
    guard let ts = Timestamp(rfc3339: text) else { preconditionFailure("bad test timestamp \(text)") }
    return ts
}

public func submitted(_ item: String, _ channel: Channel, crossRegion: String? = nil) -> EventData {
    .submitted(Submission(item: item, channel: channel, applicant: Applicant(kind: .person, ref: "P-1"), crossRegion: crossRegion))
}

/// `accepted` at a window, for the fixtures' `record`, which pass on only its item and window
/// (the ledger fills in the limits and the deadline).
public func accepted(_ item: String, at window: String) -> EventData {
    .accepted(Acceptance(item: item, window: window, legalDays: 0, promisedDays: 0, deadline: CivilDate(dayNumber: 0)))
}

/// The request a clerk makes for `data`: an acceptance gives its item and window only.
public func asClerkGivesIt(_ data: EventData) -> EventRequest {
    guard case .accepted(let a) = data else { return .record(data) }
    return .accept(AcceptanceRequest(item: a.item, window: a.window))
}

/// The report as stable JSON bytes (sorted keys).
public func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Equal within rounding error.
public func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}
