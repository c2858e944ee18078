import CaseDomain
import CaseStateProjection
import Foundation
import Ledger
import ProjectionKit
import Testing
import TestSupport

/// A record the read side cannot decode is named, with its seq and the view, never reported as
/// an anonymous "malformed record". The case codec refuses such records at the door, so the test
/// writes one through a store opened with a codec that accepts any bytes (as an older program
/// without the check could have).
@Suite("Fold failures name their record")
struct FoldFailureTests {
    @Test("an undecodable record in the log stops the view at it, naming the view and the seq")
    func undecodableRecordIsNamed() async throws {
        let hall = try await Hall()
        try await hall.open("A-1", "T-3", window: "W01", "2023-06-08")
        let poisoner = try EventStore(directory: hall.directory.appending("events"), codec: OpaqueTestCodec(),
                                      options: .init(durable: false))
        let event = NewEvent(type: EventType.submitted.code, at: Timestamp(milliseconds: 1_686_200_000_000),
                             actor: "old-program", payload: [0xFF])
        let position = try await poisoner.append(to: try CaseNumber("LZH-2023-000002"), expected: .any, events: [event])
        let seq = position.positions[0].seq
        let runner = try hall.runner()
        do {
            _ = try runner.catchUp()
            Issue.record("expected the fold to fail")
        } catch let error as ProjectionError {
            #expect(error == .foldFailed(view: "caseState", seq: seq, reason: "malformed bytes: unknown payload version 255"))
            #expect(error.description.contains("seq \(seq)"))
            #expect(error.description.contains("caseState"))
        }
        // Nothing of the failed batch was applied: the view still stands before it.
        #expect(try runner.status().first?.checkpoint ?? 0 < seq)
    }
}
