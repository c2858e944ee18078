import Foundation

extension CatalogItem {
    /// Reads a catalog file: one item object a line (`seeds/catalog.jsonl`).
    /// - Throws: `InterchangeError.line` naming the first bad line.
    public static func load(contentsOf url: URL) throws -> [CatalogItem] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InterchangeError.unreadable(path: url.path, reason: "not a UTF-8 text file")
        }
        var items: [CatalogItem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do {
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
                items.append(try CatalogItem(reading: DataReader(value, path: "item")))
            } catch let error as DataError {
                throw InterchangeError.line(index + 1, error.description)
            } catch {
                throw InterchangeError.line(index + 1, "malformed JSON")
            }
        }
        return items
    }
}
