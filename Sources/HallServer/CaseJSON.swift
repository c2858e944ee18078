import CaseDomain
import CaseStateProjection
import Ledger

extension JSONWriter {
    mutating func cases(_ key: String, _ reports: [CaseStateReport]) {
        self.key(key)
        beginArray()
        for report in reports { report.writeJSON(into: &self) }
        endArray()
    }
}
