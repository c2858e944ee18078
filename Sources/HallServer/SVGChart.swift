import Foundation

/// Bar charts drawn by the server as inline SVG: no chart library, nothing fetched at run time.
enum SVGChart {
    /// One bar per label, heights as shares of `maximum` (1 for rates), the value printed above.
    /// Missing values leave a gap marked "—".
    static func bars(title: String, points: [(label: String, value: Double?)], maximum: Double = 1, percent: Bool = true) -> String {
        let width = 40 + max(points.count, 1) * 56, height = 190
        let plotTop = 34.0, plotBottom = 150.0
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(HTML.escape(title))</title>"
        svg += "<text x=\"8\" y=\"18\" class=\"chart-title\">\(HTML.escape(title))</text>"
        svg += "<line x1=\"30\" y1=\"\(plotBottom)\" x2=\"\(width - 6)\" y2=\"\(plotBottom)\" class=\"axis\"/>"
        for (i, point) in points.enumerated() {
            let x = 40 + Double(i) * 56
            if let value = point.value, value.isFinite, maximum > 0 {
                let share = min(max(value / maximum, 0), 1)
                let barHeight = (plotBottom - plotTop) * share
                let label = percent ? String(format: "%.1f%%", value * 100) : String(format: "%.2f", value)
                svg += "<rect x=\"\(x)\" y=\"\(plotBottom - barHeight)\" width=\"40\" height=\"\(barHeight)\" class=\"bar\"><title>\(HTML.escape(point.label)) \(HTML.escape(label))</title></rect>"
                svg += "<text x=\"\(x + 20)\" y=\"\(plotBottom - barHeight - 4)\" text-anchor=\"middle\" class=\"value\">\(HTML.escape(label))</text>"
            } else {
                svg += "<text x=\"\(x + 20)\" y=\"\(plotBottom - 4)\" text-anchor=\"middle\" class=\"value\">—</text>"
            }
            svg += "<text x=\"\(x + 20)\" y=\"\(plotBottom + 18)\" text-anchor=\"middle\" class=\"label\">\(HTML.escape(point.label))</text>"
        }
        svg += "</svg>"
        return svg
    }
}

/// Ratios as the pages print them.
func percent(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "—" }
    return String(format: "%.1f%%", value * 100)
}
