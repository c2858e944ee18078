import CaseDomain
import Ledger
import Testing

@Suite("Case numbers are ASCII")
struct CaseNumberTests {
    @Test("letters, digits, '-', '_' and '.' make a case number", arguments: [
        "LZH-2023-000123", "A", "a_b.c-9", String(repeating: "7", count: 50),
    ])
    func valid(raw: String) throws {
        #expect(try CaseNumber(caseNumber: raw).rawValue == raw)
    }

    @Test("anything else is refused with one line — precomposed and decomposed 'café' alike", arguments: [
        "UNI-caf\u{E9}", "UNI-cafe\u{301}", "2023-梁子湖-000123", "A/B", "A:B", "A B", "", String(repeating: "7", count: 51),
    ])
    func invalid(raw: String) {
        let error = #expect(throws: InvalidCaseNumber.self) { try CaseNumber(caseNumber: raw) }
        #expect(error?.description.contains("invalid case number") == true)
        #expect(error?.description.contains("\n") == false)
    }
}
