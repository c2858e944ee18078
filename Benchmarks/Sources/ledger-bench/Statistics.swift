import Foundation

/// Repeated measurements of one figure (a rate, or a latency): median, min, max.
struct Sample: Encodable {
    var values: [Double]
    var median: Double { let s = values.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }

    enum CodingKeys: String, CodingKey { case median, min, max, values }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(median, forKey: .median)
        try c.encode(min, forKey: .min)
        try c.encode(max, forKey: .max)
        try c.encode(values, forKey: .values)
    }
}

/// One row of the results table.
struct ResultRow: Encodable {
    var name: String
    var unit: String
    var ledger: Sample
    var sqlite: Sample?
    var rawLMDB: Sample?
    var target: String?
    /// ledger / SQLite and ledger / raw LMDB (for latencies: SQLite / ledger, so > 1 is better).
    var vsSQLite: Double? { sqlite.map { higherIsBetter ? ledger.median / $0.median : $0.median / ledger.median } }
    var vsRawLMDB: Double? { rawLMDB.map { ledger.median / $0.median } }
    var higherIsBetter = true

    enum CodingKeys: String, CodingKey { case name, unit, ledger, sqlite, rawLMDB, target, ledgerOverSQLite, ledgerOverRawLMDB }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(ledger, forKey: .ledger)
        try c.encodeIfPresent(sqlite, forKey: .sqlite)
        try c.encodeIfPresent(rawLMDB, forKey: .rawLMDB)
        try c.encodeIfPresent(target, forKey: .target)
        try c.encodeIfPresent(vsSQLite, forKey: .ledgerOverSQLite)
        try c.encodeIfPresent(vsRawLMDB, forKey: .ledgerOverRawLMDB)
    }
}

func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func secondsSince(_ start: UInt64) -> Double { Double(nanoseconds() - start) / 1e9 }

func formatValue(_ v: Double, unit: String) -> String {
    if v.isNaN { return "—" }
    switch unit {
    case "µs": return String(format: "%.1f", v)
    case "MiB": return String(format: "%.0f", v)
    default:
        if v >= 1_000_000 { return String(format: "%.2fM", v / 1_000_000) }
        if v >= 10_000 { return String(format: "%.0fk", v / 1000) }
        return String(format: "%.0f", v)
    }
}

func printTable(_ rows: [ResultRow]) {
    let header = ["measure", "unit", "ledger (median)", "min–max", "SQLite", "raw LMDB", "ledger/SQLite", "ledger/raw", "target"]
    var lines = [header]
    for r in rows {
        lines.append([
            r.name, r.unit, formatValue(r.ledger.median, unit: r.unit),
            "\(formatValue(r.ledger.min, unit: r.unit))–\(formatValue(r.ledger.max, unit: r.unit))",
            r.sqlite.map { formatValue($0.median, unit: r.unit) } ?? "",
            r.rawLMDB.map { formatValue($0.median, unit: r.unit) } ?? "",
            r.vsSQLite.map { String(format: "%.2f×", $0) } ?? "",
            r.vsRawLMDB.map { String(format: "%.0f%%", $0 * 100) } ?? "",
            r.target ?? "",
        ])
    }
    var widths = Array(repeating: 0, count: header.count)
    for l in lines { for (i, c) in l.enumerated() { widths[i] = Swift.max(widths[i], c.count) } }
    for (n, l) in lines.enumerated() {
        print(l.enumerated().map { i, c in i < 2 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            : String(repeating: " ", count: widths[i] - c.count) + c }.joined(separator: "  "))
        if n == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
}

/// Peak resident memory of this process (VmHWM), MiB.
func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}
