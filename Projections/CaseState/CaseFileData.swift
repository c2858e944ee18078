import CaseDomain
import Ledger

extension EventView {
    /// The event's data as far as `CaseFile.apply` reads it, or nil for a catalog or access event.
    ///
    /// Payloads are decoded only for the event types whose content the fold keeps (submitted,
    /// accepted, materialsReduced, extended, transferred, evaluated); for the others the type
    /// is all the fold needs, and a payload-free stand-in spares a decode and its allocations.
    /// Keep this in step with `CaseFile.apply` when it starts to read another event's content.
    func caseFileData() throws -> EventData? {
        switch try type {
        case .submitted, .accepted, .materialsReduced, .extended, .transferred, .evaluated: try data()
        case .supplementRequested: .supplementRequested(materials: [])
        case .supplementReceived: .supplementReceived
        case .rejected: .rejected(reason: "")
        case .suspended: .suspended(procedure: .other, reason: "")
        case .resumed: .resumed
        case .stepCompleted: .stepCompleted(step: .handle, opinion: "")
        case .visited: .visited
        case .assisted: .assisted(agent: "")
        case .approved: .approved(certificate: nil)
        case .denied: .denied(reason: "")
        case .withdrawn: .withdrawn(reason: "")
        case .delivered: .delivered(method: .window)
        case .followedUp: .followedUp
        case .rectified: .rectified(note: "")
        case .itemPublished, .itemRevised, .contactRead, .contactErased, .departmentGranted, .departmentGrantRevoked: nil
        }
    }
}
