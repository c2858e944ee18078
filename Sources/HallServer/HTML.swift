/// Builds an HTML page as text. Every piece of data goes through `text(_:)` or `attribute(_:)`,
/// which escape it, so a comment or a name cannot become markup or script.
struct HTML {
    private(set) var output = ""

    /// Escaped for an element's content or a double-quoted attribute value.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "`": out += "&#96;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Markup written by the code itself (never data).
    mutating func raw(_ markup: String) { output += markup }
    mutating func text(_ s: String) { output += HTML.escape(s) }

    /// `<tag class="…">escaped text</tag>`.
    mutating func element(_ tag: String, _ content: String, class className: String? = nil) {
        output += "<\(tag)\(className.map { " class=\"\(HTML.escape($0))\"" } ?? "")>\(HTML.escape(content))</\(tag)>"
    }

    /// A whole page: the hall's stylesheet, a heading and navigation, the body, optional script.
    static func page(title: String, nav: [(href: String, label: String)] = HTML.navigation, scripts: [String] = [],
                     body: (inout HTML) -> Void) -> String {
        var html = HTML()
        html.raw("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        html.raw("<title>")
        html.text(title)
        html.raw("</title><link rel=\"stylesheet\" href=\"/static/hall.css\">")
        for script in scripts { html.raw("<script src=\"\(HTML.escape(script))\" defer></script>") }
        html.raw("</head><body><header><h1>")
        html.text(title)
        html.raw("</h1><nav>")
        for item in nav {
            html.raw("<a href=\"\(HTML.escape(item.href))\">")
            html.text(item.label)
            html.raw("</a>")
        }
        html.raw("</nav></header><main>")
        body(&html)
        html.raw("</main></body></html>")
        return html.output
    }

    static let navigation: [(href: String, label: String)] = [
        ("/", "大厅看板"), ("/dashboard", "统计分析"), ("/public", "政务公开"), ("/login", "登录"),
    ]
}
