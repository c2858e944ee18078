import CaseDomain
import CaseStateProjection
import Ledger

extension CaseStateReport {
    /// The case as one JSON object, the same keys as `ledger case --format json`; every key is
    /// always present (null when not applicable).
    func writeJSON(into w: inout JSONWriter) {
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
        optional("acceptedAt", acceptedAt?.description)
        optional("completedAt", completedAt?.description)
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
        w.endObject()
    }
}

extension JSONWriter {
    mutating func cases(_ key: String, _ reports: [CaseStateReport]) {
        self.key(key)
        beginArray()
        for report in reports { report.writeJSON(into: &self) }
        endArray()
    }
}
