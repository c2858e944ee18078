import CaseDomain
import Foundation
import Simulator
import Testing

/// The seed validator (`seeds/tools/validate_seeds.py`) enforces the bureau's rules of time limits
/// (`seeds/tools/hall_rules.py`): the repository's seeds pass it, and a catalog breaking a rule
/// fails it with a line naming the items.
@Suite("Seed validator: the bureau's rules of time limits")
struct SeedRulesTests {
    static let tools = SimulatorFixtures.seedsDirectory.appendingPathComponent("tools")

    /// Runs the validator over a copy of the seeds whose catalog items `change` rewrites.
    private func validate(_ change: ((inout [[String: Any]]) -> Void)? = nil) throws -> (status: Int32, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seed-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: SimulatorFixtures.seedsDirectory, to: folder)
        if let change {
            let file = folder.appendingPathComponent("catalog.jsonl")
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            var items = try lines.dropFirst().map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            change(&items)
            let keys = ["code", "name", "department", "level", "legalDays", "promisedDays", "caseType", "onlineCapable",
                        "maxVisits", "crossProvince", "metroCircle", "themes"]
            // Key order matters to the validator: write each object in the catalog's order.
            let rewritten = try items.map { item -> String in
                let fields = try keys.map { key -> String in
                    let value = try JSONSerialization.data(withJSONObject: [item[key] ?? NSNull()], options: [.withoutEscapingSlashes])
                    return "\"\(key)\":" + String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
                }
                return "{" + fields.joined(separator: ",") + "}"
            }
            try ([lines[0]] + rewritten).joined(separator: "\n").appending("\n").write(to: file, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.tools.appendingPathComponent("validate_seeds.py").path, folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    private func set(_ name: String, legal: Int? = nil, promised: Int? = nil, type: String? = nil) -> (inout [[String: Any]]) -> Void {
        { items in
            guard let index = items.firstIndex(where: { $0["name"] as? String == name }) else { return }
            if let legal { items[index]["legalDays"] = legal }
            if let promised { items[index]["promisedDays"] = promised }
            if let type { items[index]["caseType"] = type }
        }
    }

    @Test("the repository's seeds pass the validator")
    func seedsPass() throws {
        let run = try validate()
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.hasSuffix("OK\n"), "\(run.output)")
    }

    @Test("a 注销 slower in law than the 核发 it undoes fails")
    func familyCancellationSlower() throws {
        let run = try validate(set("食品经营许可证注销", legal: 30, promised: 2))
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL: family:") && run.output.contains("食品经营许可证注销 (legalDays 30) is slower in law than"), "\(run.output)")
        #expect(run.output.contains("食品经营许可证核发"), "\(run.output)")
    }

    @Test("a 变更登记 slower in law than the 设立登记 fails (and breaks the statute too)")
    func familyChangeSlower() throws {
        let run = try validate(set("企业变更登记", legal: 10, promised: 1, type: "promised"))
        #expect(run.status == 1)
        #expect(run.output.contains("企业变更登记 (legalDays 10) is slower in law than"), "\(run.output)")
        #expect(run.output.contains("statute fixes 3"), "\(run.output)")
    }

    @Test("即办 for the 设立 of a kindergarten fails")
    func immediateApproval() throws {
        let run = try validate(set("民办幼儿园设立", promised: 0, type: "immediate"))
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL: 即办:") && run.output.contains("民办幼儿园设立 is an approval"), "\(run.output)")
    }

    @Test("a statutory limit other than the statute's fails: 建筑工程施工许可证核发 is 7 days")
    func statutoryLimit() throws {
        let run = try validate(set("建筑工程施工许可证核发", legal: 15))
        #expect(run.status == 1)
        #expect(run.output.contains("建筑工程施工许可证核发 has legalDays 15, the statute fixes 7"), "\(run.output)")
    }

    @Test("the seed catalog keeps the rules: the statute's 7 days, registrations in 3, kindergartens promised")
    func seedCatalog() throws {
        let items = try SimulatorFixtures.seeds().catalog
        func item(_ name: String) throws -> CatalogItem { try #require(items.first { $0.name == name }, "\(name)") }
        #expect(try item("建筑工程施工许可证核发").legalDays == 7)
        #expect(try item("企业设立登记").legalDays == 3)
        #expect(try item("企业注销登记").legalDays <= item("企业设立登记").legalDays)
        #expect(try item("民办幼儿园设立").caseType == .promised)
        #expect(try SimulatorFixtures.seeds().catalogEffective == CivilDate(iso: "2023-01-01"))
    }
}
