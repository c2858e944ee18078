/// Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into rows, so a
/// test can check the CLI's CSV as a spreadsheet would read it.
func csvRows(_ text: String) throws -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, afterQuote = false
    var characters = Array(text).makeIterator()
    while let c = characters.next() {
        if quoted {
            if c == "\"" { quoted = false; afterQuote = true } else { field.append(c) }
            continue
        }
        switch c {
        case "\"":
            if afterQuote { field.append("\"") } else if !field.isEmpty { throw CLITestError("a quote inside an unquoted field: \(field)") }
            quoted = true
            afterQuote = false
        case ",":
            row.append(field); field = ""; afterQuote = false
        case "\r\n", "\n":
            row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
        default:
            if afterQuote { throw CLITestError("text after a closing quote: \(field)") }
            field.append(c)
        }
    }
    if quoted { throw CLITestError("an unterminated quoted field") }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
