import CaseDomain
import Foundation
import Ledger
import Testing
import TestSupport

/// `importJSONLines` refuses what the hall refuses — all or nothing, naming the line and the case —
/// and takes grants on the ADMIN stream like any other line.
@Suite("Hall rules on import")
struct HallImportTests {
    static func line(case number: String, type: String, at time: String, actor: String = "clerk-06", data: String) -> String {
        #"{"case":"\#(number)","type":"\#(type)","at":"\#(time)","actor":"\#(actor)","data":\#(data)}"#
    }

    static func submitted(_ number: String, item: String = "M-1", ref: String = "P-0001", at time: String = "2023-03-01T09:00:00+08:00") -> String {
        line(case: number, type: "submitted", at: time, data: #"{"item":"\#(item)","channel":"window","applicant":{"kind":"person","ref":"\#(ref)"}}"#)
    }

    static func accepted(_ number: String, item: String = "M-1", window: String = "W02", actor: String = "clerk-06",
                         at time: String = "2023-03-01T09:30:00+08:00") -> String {
        line(case: number, type: "accepted", at: time, actor: actor, data: #"{"item":"\#(item)","window":"\#(window)"}"#)
    }

    static let grant = line(case: "ADMIN", type: "departmentGranted", at: "2023-03-01T08:00:00+08:00", actor: "hall-manager",
                            data: #"{"clerk":"clerk-06","department":"水务"}"#)

    /// Line 3 of each file is the bad one.
    static let refusals: [(name: String, third: String, reason: String)] = [
        ("an acceptance at a window not in the seed", accepted("LZH-2023-000102", window: "W99"),
         "line 3: case LZH-2023-000102 is submitted: accepted refused: window W99 is not one of the hall's windows"),
        ("a transfer to a window not in the seed",
         line(case: "LZH-2023-000101", type: "transferred", at: "2023-03-01T10:00:00+08:00", data: #"{"toWindow":"W99"}"#),
         "line 3: case LZH-2023-000101 is processing: transferred refused: window W99 is not one of the hall's windows"),
        ("an item not in the catalog in force then", submitted("LZH-2023-000103", at: "2023-01-02T09:00:00+08:00"),
         "line 3: case LZH-2023-000103 is new: submitted refused: item M-1 is not in the catalog in force at 2023-01-02T09:00:00+08:00"),
        ("an applicant reference holding an ID number", submitted("LZH-2023-000104", ref: "110105194912310021"),
         "line 3: case LZH-2023-000104 is new: submitted refused: data.applicant.ref holds a resident ID number"),
        ("a reason holding a mobile number",
         line(case: "LZH-2023-000101", type: "withdrawn", at: "2023-03-01T10:00:00+08:00", data: #"{"reason":"请回电 13800138000"}"#),
         "line 3: case LZH-2023-000101 is processing: withdrawn refused: data.reason holds a mobile number"),
        ("an acceptance of a department neither hosted nor granted", accepted("LZH-2023-000102", item: "S-1"),
         "line 3: case LZH-2023-000102 is submitted: accepted refused: window W02 does not host 水务"),
    ]

    @Test("a refused line names itself and its case; nothing of the file is written", arguments: 0 ..< 6)
    func refused(_ index: Int) async throws {
        let (name, third, reason) = Self.refusals[index]
        let t = try await HallLedger()
        let head = try t.store.digest()
        var lines = [Self.submitted("LZH-2023-000101"), Self.accepted("LZH-2023-000101"), third]
        if reason.contains("LZH-2023-000102") { lines = [Self.submitted("LZH-2023-000101"), Self.submitted("LZH-2023-000102"), third] }
        let error = await #expect(throws: InterchangeError.self, "\(name)") {
            try await t.ledger.importJSONLines(Data(jsonLines: lines))
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix(reason), "\(name): \(text)")
        #expect(text.hasSuffix("nothing was imported"))
        #expect(!text.contains("13800138000") && !text.contains("110105194912310021"))
        #expect(try t.store.digest() == head)
    }

    @Test("a grant imported on the ADMIN stream lets a later line accept under it; export and import round-trip")
    func grantThenAccept() async throws {
        let t = try await HallLedger()
        let lines = [Self.grant, Self.submitted("LZH-2023-000105", item: "S-1"), Self.accepted("LZH-2023-000105", item: "S-1")]
        let summary = try await t.ledger.importJSONLines(Data(jsonLines: lines))
        #expect(summary.appended == 3)
        #expect(t.ledger.grants.isGranted(clerk: "clerk-06", department: "水务", at: at("2023-03-01T09:30:00+08:00")))

        // The whole log out and into a fresh store: the same chain.
        var exported = Data()
        try t.store.exportJSONLines(from: 1) { exported.append(contentsOf: $0) }
        let copy = try await HallLedger(empty: true)
        _ = try await copy.ledger.importJSONLines(exported)
        #expect(try copy.store.digest() == t.store.digest())
        #expect(copy.ledger.grants == t.ledger.grants)
    }
}
