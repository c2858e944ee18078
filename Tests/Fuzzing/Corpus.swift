import CaseDomain
import Foundation
import Ledger

/// Valid interchange lines of every shape a case takes, the fuzzers' starting points.
public enum FuzzCorpus {
    public static let lines: [String] = [
        #"{"id":"0190a4b0-0000-7000-8000-000000000001","case":"LZH-2023-000001","type":"submitted","at":"2023-09-25T09:00:00+08:00","actor":"clerk-07","data":{"item":"LZH-C-0002","channel":"window","applicant":{"kind":"person","ref":"P-001"}}}"#,
        #"{"case":"LZH-2023-000001","type":"accepted","at":"2023-09-25T09:10:00+08:00","actor":"clerk-07","data":{"item":"LZH-C-0002","window":"W03","legalDays":5,"promisedDays":0,"deadline":"2023-09-28"}}"#,
        #"{"case":"LZH-2023-000001","type":"approved","at":"2023-10-09T16:00:00+08:00","actor":"clerk-07","data":{"certificate":{"number":"C-0001","electronic":true}}}"#,
        #"{"case":"LZH-2023-000001","type":"delivered","at":"2023-10-09T16:05:00+08:00","actor":"clerk-07","data":{"method":"electronic"}}"#,
        #"{"case":"LZH-2023-000001","type":"evaluated","at":"2023-10-09T16:10:00+08:00","actor":"citizen","data":{"level":5,"channel":"qrCode","comment":"慢"}}"#,
        #"{"case":"LZH-2023-000001","type":"rectified","at":"2023-10-12T09:00:00+08:00","actor":"clerk-07","data":{"note":"增设窗口"}}"#,
        #"{"code":"LZH-C-0001","name":"最低生活保障申请代办","department":"民政","level":"village","legalDays":10,"promisedDays":1,"caseType":"promised","onlineCapable":true,"maxVisits":1,"crossProvince":false,"metroCircle":false,"themes":[]}"#,
        #"[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n",{"a":{"b":[[]]}}]"#,
    ]

    /// Stored records of the corpus lines that are events: what the record decoder is fed.
    public static func records() throws -> [[UInt8]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var records: [[UInt8]] = []
        do {
            let store = try EventStore(directory: directory, codec: CaseEventCodec(), options: .init(initialMapSize: 8 << 20, durable: false))
            for (index, line) in lines.enumerated() {
                // Acceptances are left to the rules to complete; the other events are recorded as given.
                guard let event = try? InterchangeEvent(line: Array(line.utf8)), case .record(let data) = event.request else { continue }
                let new = NewEvent(id: event.id ?? fixedID(index), type: data.type.code, at: event.at, actor: event.actor, payload: data.encoded())
                _ = try store.appendAndWait(to: event.caseNumber, expected: .any, events: [new])
            }
            try store.scan(from: 1) { view in
                records.append(Array(view.record))
                return true
            }
        }
        return records
    }

    /// The id of a corpus line that has none: fixed, so the records, their hashes and every input
    /// mutated from them are the same for the same seed (a random id made each run differ).
    private static func fixedID(_ index: Int) -> UUID {
        UUID(uuidString: "0190a4b0-0000-7000-8000-" + String(0x100 + index, radix: 16).leftPadded(to: 12))!
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
