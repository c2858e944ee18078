import Foundation
import LedgerProofs

/// A catalog file (`seeds/catalog.jsonl`): a first line naming the catalog and the date it comes
/// into force, `{"catalog":"政务服务事项基本目录(2023年版)","effective":"2023-01-01"}`, then one
/// item object a line, in the same shape as the `data` of an `itemPublished` event.
public struct CatalogFile: Sendable, Hashable {
    /// The catalog's name, from the first line (nil when the file has no such line).
    public var title: String?
    /// The day the catalog comes into force (00:00 China Standard Time); nil when not stated.
    public var effective: CivilDate?
    /// The items, in the file's order.
    public var items: [CatalogItem]

    public init(title: String? = nil, effective: CivilDate? = nil, items: [CatalogItem]) {
        self.title = title
        self.effective = effective
        self.items = items
    }

    /// Reads a catalog file.
    /// - Throws: `SeedError` naming the line and the field when a line is malformed, the header
    ///   is not the first line, or an item code appears twice.
    public static func load(from url: URL) throws(SeedError) -> CatalogFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SeedError(path: url.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        return try parse(jsonLines: data, source: url.path)
    }

    /// Parses catalog JSON Lines already in memory; `source` names them in errors.
    public static func parse(jsonLines data: Data, source: String) throws(SeedError) -> CatalogFile {
        var file = CatalogFile(items: [])
        var codes: Set<String> = []  // membership only; never iterated
        var seenLine = false
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") })
            else { continue }
            let value: JSONValue
            do { value = try Array(line).withUnsafeBytes { raw in try JSONParser.parse(raw) } } catch {
                throw SeedError(path: source, reason: "line \(lineNumber): malformed JSON (expected one item object)")
            }
            let first = !seenLine
            seenLine = true
            if case .object(let object) = value, object["catalog"] != nil || object["effective"] != nil {
                guard first else {
                    throw SeedError(path: source, reason: "line \(lineNumber): the catalog's name and effective date belong on the first line")
                }
                try file.readHeader(value, line: lineNumber, source: source)
                continue
            }
            let item: CatalogItem
            do { item = try CatalogItem(reading: DataReader(value, path: "item")) } catch {
                throw SeedError(path: source, reason: "line \(lineNumber): \(error.description)")
            }
            guard codes.insert(item.code).inserted else {
                throw SeedError(path: source, reason: "line \(lineNumber): item \(item.code) is listed twice")
            }
            file.items.append(item)
        }
        return file
    }

    private mutating func readHeader(_ value: JSONValue, line: Int, source: String) throws(SeedError) {
        do throws(DataError) {
            let d = try DataReader(value, path: "header")
            try d.only(["catalog", "effective"])
            title = try d.optionalString("catalog")
            if let text = try d.optionalString("effective") {
                guard let date = CivilDate(iso: text) else {
                    throw DataError(field: "header.effective", reason: "\"\(text)\" is not a date YYYY-MM-DD")
                }
                effective = date
            }
        } catch {
            throw SeedError(path: source, reason: "line \(line): \(error.description)")
        }
    }
}

extension CatalogItem {
    /// Reads the items of a catalog file (`CatalogFile`), without its name and date.
    ///
    /// ```swift
    /// let items = try CatalogItem.loadCatalog(from: seeds.appendingPathComponent("catalog.jsonl"))
    /// ```
    public static func loadCatalog(from url: URL) throws(SeedError) -> [CatalogItem] {
        try CatalogFile.load(from: url).items
    }

    /// Parses catalog JSON Lines already in memory; `source` names them in errors.
    public static func parseCatalog(jsonLines data: Data, source: String) throws(SeedError) -> [CatalogItem] {
        try CatalogFile.parse(jsonLines: data, source: source).items
    }
}

extension Catalog {
    /// A catalog holding `items`, as if each had been published in order.
    public init(items: [CatalogItem]) {
        self.init()
        for item in items { apply(.itemPublished(item)) }
    }
}
