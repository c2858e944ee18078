import Ledger

/// The rules a hall adds to the case state machine (Docs/HALLRULES.md): windows from the seed,
/// departments hosted or granted, items in force at the event's time, no personal numbers in
/// text the log keeps for ever.
extension CaseRules {
    /// Refuses free text or an applicant reference holding a resident ID or mobile number. The
    /// reason names the field, never the number.
    func checkPersonalData(_ data: EventData, _ refuse: (String) -> RuleViolation) throws(RuleViolation) {
        guard let found = PersonalData.first(in: data.freeText) else { return }
        throw refuse("\(found.field) holds \(found.kind.rawValue); personal data stays out of the log, which keeps it for ever "
                     + "(the contact belongs in the vault: ledger applicant add) — remove it and record the event again")
    }

    /// The item as the catalog in force at `at` has it.
    func item(_ code: String, at: Timestamp, _ refuse: (String) -> RuleViolation) throws(RuleViolation) -> CatalogItem {
        if let item = catalog.item(code, asOf: at) { return item }
        if let since = catalog.inForceSince(code) {
            throw refuse("item \(code) is not in the catalog in force at \(at.chinaTime) (it came into force at \(since.chinaTime))")
        }
        throw refuse("item \(code) is not in the catalog")
    }

    /// A window named by an acceptance or a transfer must be one of the hall's.
    func checkWindow(_ id: String, _ refuse: (String) -> RuleViolation) throws(RuleViolation) -> ServiceWindow? {
        guard let hall else { return nil }
        guard let window = hall.window(id) else {
            throw refuse("window \(id) is not one of the hall's windows (\(hall.windowIDs) in windows.json)")
        }
        return window
    }

    /// An acceptance at `window` of `item` by `actor`: the window hosts the item's department, or
    /// the actor holds a grant of it at `at`.
    func checkDepartment(of item: CatalogItem, at window: ServiceWindow, by actor: String?, at moment: Timestamp,
                         _ refuse: (String) -> RuleViolation) throws(RuleViolation) {
        guard let hall, !hall.hosts(window, department: item.department) else { return }
        if let actor, grants.isGranted(clerk: actor, department: item.department, at: moment) { return }
        let who = actor.map { "\($0) holds" } ?? "the acceptance names no clerk with"
        throw refuse("window \(window.id) does not host \(item.department) (item \(item.code)) and \(who) no grant of \(item.department) "
                     + "at \(moment.chinaTime); accept it at the department's window, or grant the department first (ledger grant add)")
    }

    /// Grants and revocations, on the administration stream only.
    func admitAdministration(_ request: EventRequest, at: Timestamp, to file: CaseFile) throws(RuleViolation) -> EventData {
        func refuse(_ reason: String) -> RuleViolation {
            RuleViolation(subject: file.caseNumber == .administration ? "the administration stream" : "stream \(file.caseNumber)",
                          state: file.caseNumber == .administration ? "administration" : file.status?.rawValue ?? "new",
                          event: request.type, reason: reason)
        }
        guard file.caseNumber == .administration else {
            throw refuse("grants belong to the \(CaseNumber.administration) stream")
        }
        guard case .record(let data) = request, let grant = data.grant else {
            throw refuse("only departmentGranted and departmentGrantRevoked belong to \(CaseNumber.administration)")
        }
        if let last = file.lastEventAt, at < last {
            throw refuse("it is dated \(at.chinaTime), before the stream's previous event at \(last.chinaTime)")
        }
        guard !grant.clerk.isEmpty, grant.clerk.utf8.count <= 64, !grant.department.isEmpty, grant.department.utf8.count <= 100 else {
            throw refuse("the clerk must be 1–64 bytes and the department 1–100")
        }
        switch data {
        case .departmentGranted:
            if let hall {
                guard let window = hall.window(ofClerk: grant.clerk) else {
                    throw refuse("\(grant.clerk) is no clerk of the hall's windows (windows.json)")
                }
                if hall.hosts(window, department: grant.department) {
                    throw refuse("\(grant.clerk)'s window \(window.id) already hosts \(grant.department); no grant is needed")
                }
            }
            guard catalog.items.values.contains(where: { $0.department == grant.department && catalog.item($0.code, asOf: at) != nil }) else {
                throw refuse("no item of the catalog in force at \(at.chinaTime) belongs to department \(grant.department)")
            }
            if let open = grants.open(clerk: grant.clerk, department: grant.department) {
                throw refuse("\(grant.clerk) holds \(grant.department) since \(open.grantedAt.chinaTime) (granted by \(open.grantedBy))")
            }
        default:
            guard grants.open(clerk: grant.clerk, department: grant.department) != nil else {
                throw refuse("\(grant.clerk) holds no grant of \(grant.department) to revoke")
            }
        }
        return data
    }
}
