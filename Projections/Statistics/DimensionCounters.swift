import CaseDomain
import LMDB
import Ledger
import ProjectionKit

/// The dimensions the statistics are kept by. Each counter row is keyed
/// `dimension ␟ quarter ␟ value` (␟ = U+001F), e.g. `window␟2023Q3␟W05`; the overall total is
/// `total␟2023Q3␟`. Quarter first, so a year or a quarter is a key prefix. Theme rows are kept
/// only for cases that name a 一件事 theme.
public enum CounterDimension: String, Sendable, CaseIterable, Codable {
    case total, level, department, window, item, theme

    /// The row key of `value` in `quarter`.
    public func key(_ quarter: Quarter, _ value: String) -> String {
        rawValue + CounterKey.separator + quarter.description + CounterKey.separator + value
    }
}

/// A counter row's key, parsed.
public struct CounterKey: Sendable, Hashable {
    static let separator = "\u{1F}"
    public var dimension: CounterDimension
    public var quarter: Quarter
    public var value: String

    public init(_ dimension: CounterDimension, _ quarter: Quarter, _ value: String) {
        self.dimension = dimension
        self.quarter = quarter
        self.value = value
    }

    public init?(parsing key: String) {
        let parts = key.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let dimension = CounterDimension(rawValue: String(parts[0])),
              let quarter = Quarter(String(parts[1])) else { return nil }
        self.init(dimension, quarter, String(parts[2]))
    }

    public var rendered: String { dimension.key(quarter, value) }
}

/// Counter deltas of one batch, summed per row before they reach the `CounterTable` (one
/// table step per fact and row, instead of one per counter).
///
/// Rows are found with a cheap hash of the key's dimension, quarter and value bytes in an
/// open-addressing table (not SipHash over a `CounterKey`: this runs for every dimension of
/// every fact); the sums sit in one flat buffer, `width` counters per row.
public struct CounterDeltas {
    public let width: Int
    private var keys: [CounterKey] = []
    private var hashes: [UInt64] = []
    /// Row `r`'s counters are `sums[r * width ..< (r + 1) * width]`.
    private var sums: [Int64] = []
    /// Open addressing, power-of-two size: row + 1, or 0 when empty.
    private var buckets = [Int32](repeating: 0, count: 1024)

    public init(width: Int) { self.width = width }

    /// Adds `delta` (of `width` counters) to the row of `key`.
    public mutating func add(_ delta: [Int64], to key: CounterKey) {
        let row = self.row(of: key)
        let base = row * width
        let width = self.width
        sums.withUnsafeMutableBufferPointer { sums in
            delta.withUnsafeBufferPointer { delta in
                for i in 0 ..< width { sums[base + i] += delta[i] }
            }
        }
    }

    /// Adds `delta` to the rows of every dimension of `keys` (the total included).
    public mutating func add(_ delta: [Int64], toEveryDimensionOf keys: CaseKeys) {
        for dimension in CounterDimension.allCases {
            if dimension == .theme, keys.theme.isEmpty { continue }
            add(delta, to: CounterKey(dimension, keys.quarter, keys.value(dimension)))
        }
    }

    private mutating func row(of key: CounterKey) -> Int {
        var value = key.value
        let hash = value.withUTF8 { utf8 in
            CounterDeltas.hash(UnsafeRawBufferPointer(utf8),
                               seed: UInt64(truncatingIfNeeded: key.quarter.year &* 8 &+ key.quarter.quarter) &* 8
                                   &+ UInt64(key.dimension.ordinal))
        }
        let mask = buckets.count - 1
        var i = Int(truncatingIfNeeded: hash >> 40) & mask
        while true {
            let entry = Int(buckets[i])
            if entry == 0 { break }
            let row = entry - 1
            if hashes[row] == hash, keys[row] == key { return row }
            i = (i + 1) & mask
        }
        let row = keys.count
        buckets[i] = Int32(row + 1)
        keys.append(key)
        hashes.append(hash)
        sums.append(contentsOf: repeatElement(0, count: width))
        if keys.count * 2 > buckets.count { grow() }
        return row
    }

    private mutating func grow() {
        var fresh = [Int32](repeating: 0, count: buckets.count * 2)
        let mask = fresh.count - 1
        for row in hashes.indices {
            var i = Int(truncatingIfNeeded: hashes[row] >> 40) & mask
            while fresh[i] != 0 { i = (i + 1) & mask }
            fresh[i] = Int32(row + 1)
        }
        buckets = fresh
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = (seed ^ UInt64(truncatingIfNeeded: bytes.count) << 32) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// Adds the sums to `table`'s rows (in key order) and writes them.
    public func flush(into table: inout CounterTable, _ txn: WriteTransaction) throws {
        let ordered = keys.indices.map { (key: keys[$0].rendered, row: $0) }.sorted { $0.key < $1.key }
        for (key, row) in ordered {
            for i in 0 ..< width {
                let v = sums[row * width + i]
                if v != 0 { try table.add(v, at: i, key: key, in: txn) }
            }
        }
        try table.flush(txn)
    }
}

extension CounterDimension {
    /// Position in `allCases`.
    var ordinal: Int {
        switch self {
        case .total: 0
        case .level: 1
        case .department: 2
        case .window: 3
        case .item: 4
        case .theme: 5
        }
    }
}

/// Which quarters a report covers: all, a year, a quarter of a year, or a quarter of every year.
public struct ReportPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var year: Int?
    /// 1…4
    public var quarter: Int?

    public init(year: Int? = nil, quarter: Int? = nil) {
        self.year = year
        self.quarter = quarter
    }

    public static let all = ReportPeriod()

    public func contains(_ q: Quarter) -> Bool {
        (year.map { $0 == q.year } ?? true) && (quarter.map { $0 == q.quarter } ?? true)
    }

    /// `all`, `2023`, `2023Q3`, or `Q3` (of every year).
    public var description: String {
        switch (year, quarter) {
        case (nil, nil): "all"
        case let (y?, nil): "\(y)"
        case let (y?, q?): "\(y)Q\(q)"
        case let (nil, q?): "Q\(q)"
        }
    }
}

/// The dimension a report's rows are grouped by.
public enum ReportDimension: String, Sendable, CaseIterable, Codable {
    case quarter, level, department, window, item, theme

    /// The counter dimension whose rows it reads (quarters are the total's rows).
    public var counters: CounterDimension {
        switch self {
        case .quarter: .total
        case .level: .level
        case .department: .department
        case .window: .window
        case .item: .item
        case .theme: .theme
        }
    }
}

/// `numerator / denominator`, or nil when nothing was counted.
public func ratio(_ numerator: Int64, _ denominator: Int64) -> Double? {
    denominator == 0 ? nil : Double(numerator) / Double(denominator)
}

extension ServiceLevel {
    /// 区级 / 镇级 / 村级.
    public var chineseName: String {
        switch self {
        case .district: "区级"
        case .town: "镇级"
        case .village: "村级"
        }
    }
}

/// Sums counter rows per group: reads every row of `dimension` in `period` and adds each into
/// the group `group(key)` names, keeping the groups in first-seen key order.
public struct CounterRollup {
    public private(set) var groups: [String] = []
    public private(set) var sums: [String: [Int64]] = [:]
    public let width: Int

    public init(width: Int) { self.width = width }

    public mutating func add(_ values: [Int64], to group: String) {
        if sums[group] == nil {
            groups.append(group)
            sums[group] = Array(repeating: 0, count: width)
        }
        for i in 0 ..< min(width, values.count) { sums[group]![i] += values[i] }
    }

    public subscript(group: String) -> [Int64] { sums[group] ?? Array(repeating: 0, count: width) }

    /// Reads the rows of `dimension` within `period` from `db`, grouped by `group`.
    public static func read(_ dimension: CounterDimension, period: ReportPeriod, from db: Database<String, [UInt8]>,
                            width: Int, in txn: ReadTransaction, group: (CounterKey) -> String) throws -> CounterRollup {
        var prefix = dimension.rawValue + CounterKey.separator
        if let year = period.year { prefix += "\(year)Q" + (period.quarter.map { "\($0)" + CounterKey.separator } ?? "") }
        var rollup = CounterRollup(width: width)
        for (key, values) in try CounterTable.scan(prefix: prefix, from: db, width: width, in: txn) {
            guard let parsed = CounterKey(parsing: key), period.contains(parsed.quarter) else { continue }
            rollup.add(values, to: group(parsed))
        }
        return rollup
    }
}

/// A sink whose facts become counter deltas, added to the view's `counters` table after the fold.
public protocol CountingSink: CaseFactSink {
    var deltas: CounterDeltas { get }
}

extension StatisticsFold {
    /// Folds `batch.events` into `sink`, then adds its deltas to the view's `counters` database.
    public func count<Sink: CountingSink>(_ batch: EventBatch, into view: ViewWriter, with sink: Sink) throws {
        var sink = sink
        try apply(batch, to: view, sink: &sink)
        var table = CounterTable(view.databases("counters"), width: sink.deltas.width)
        try sink.deltas.flush(into: &table, view.transaction)
    }
}
