import Foundation
import Ledger

extension CaseLedger {
    /// Grants `department` to `clerk` (a 首席服务员), or revokes it, on the administration
    /// stream, durably; `actor` is who granted. Retrying with the same `id` records it once.
    /// - Throws: `RuleViolation` when the clerk or department is unknown, the window already
    ///   hosts the department, the grant is already in force (or, for a revocation, is not), or
    ///   the time is before the stream's last event. Nothing is written.
    @discardableResult
    public func recordGrant(_ data: EventData, at: Timestamp, actor: String, id: UUID = .timeOrdered()) async throws -> Position {
        guard data.type.isAdministration else {
            throw RuleViolation(subject: "the administration stream", state: "administration", event: data.type,
                                reason: "only departmentGranted and departmentGrantRevoked belong to \(CaseNumber.administration)")
        }
        return try await record(data, to: .administration, at: at, actor: actor, id: id)
    }

    /// Reads the administration stream again (after a batch of grants).
    func reloadGrants() throws {
        replaceGrants(try GrantBook.read(from: store))
    }
}
