import Foundation

extension CatalogItem {
    /// Reads `seeds/catalog.jsonl`: one item object a line, in the same shape as the `data` of an
    /// `itemPublished` event. Blank lines are skipped; the items keep the file's order.
    ///
    /// ```swift
    /// let items = try CatalogItem.loadCatalog(from: seeds.appendingPathComponent("catalog.jsonl"))
    /// ```
    /// - Throws: `SeedError` naming the line and the field when a line is malformed, or when an
    ///   item code appears twice.
    public static func loadCatalog(from url: URL) throws(SeedError) -> [CatalogItem] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SeedError(path: url.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        return try parseCatalog(jsonLines: data, source: url.path)
    }

    /// Parses catalog JSON Lines already in memory; `source` names them in errors.
    public static func parseCatalog(jsonLines data: Data, source: String) throws(SeedError) -> [CatalogItem] {
        var items: [CatalogItem] = []
        var codes: Set<String> = []  // membership only; never iterated
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") })
            else { continue }
            let value: JSONValue
            do { value = try Array(line).withUnsafeBytes { raw in try JSONParser.parse(raw) } } catch {
                throw SeedError(path: source, reason: "line \(lineNumber): malformed JSON (expected one item object)")
            }
            let item: CatalogItem
            do { item = try CatalogItem(reading: DataReader(value, path: "item")) } catch {
                throw SeedError(path: source, reason: "line \(lineNumber): \(error.description)")
            }
            guard codes.insert(item.code).inserted else {
                throw SeedError(path: source, reason: "line \(lineNumber): item \(item.code) is listed twice")
            }
            items.append(item)
        }
        return items
    }
}

extension Catalog {
    /// A catalog holding `items`, as if each had been published in order.
    public init(items: [CatalogItem]) {
        self.init()
        for item in items { apply(.itemPublished(item)) }
    }
}
