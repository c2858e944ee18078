import CaseDomain
import Ledger

extension CaseStateReport {
    /// The case as one JSON object — what `ledger case --format json` prints and the server's
    /// `GET /cases/{case}` returns; every key is always present (null when not applicable), times
    /// in China Standard Time.
    public func writeJSON(into w: inout JSONWriter, asOf: Timestamp? = nil) {
        func optional(_ key: String, _ value: String?) {
            w.key(key)
            if let value { w.value(value) } else { w.null() }
        }
        func optional(_ key: String, _ value: Int?) {
            w.key(key)
            if let value { w.value(value) } else { w.null() }
        }
        w.beginObject()
        w.field("case", caseNumber.rawValue)
        w.field("status", status.rawValue)
        optional("item", item)
        optional("window", window)
        optional("acceptedAt", acceptedAt?.chinaTime)
        optional("completedAt", completedAt?.chinaTime)
        optional("legalDays", legalDays)
        optional("promisedDays", promisedDays)
        w.field("extensionDays", extensionDays)
        optional("deadline", deadline?.description)
        optional("effectiveWorkingDays", effectiveWorkingDays)
        optional("remainingWorkingDays", remainingWorkingDays)
        w.key("onTime")
        if let onTime { w.value(onTime) } else { w.null() }
        w.field("overdue", overdue)
        w.field("suspended", suspended)
        w.field("warning", warning.rawValue)
        w.field("visits", visits)
        optional("evaluation", evaluation)
        w.field("today", today.description)
        optional("asOf", asOf?.chinaTime)
        w.endObject()
    }

}
