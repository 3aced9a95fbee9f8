import XenArm

/// The plan for people: a table and an SVG picture (deterministic text, no timestamps).
extension MemoryPlan {
    public var table: String {
        var rows = ["region                         start               end                 size"]
        let entries = ram.map { ("RAM " + $0.name, $0) } + reserved.map { ("reserved " + $0.name, $0) } + placed.map { ($0.name, $0) }
        for (label, r) in entries.sorted(by: { ($0.1.base, $0.0) < ($1.1.base, $1.0) }) {
            rows.append(pad(label, 30) + " " + pad(hex18(r.base), 19) + " " + pad(hex18(r.end), 19) + " " + human(r.size))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// One row per range, laid out by address order (not to scale: small modules must stay readable).
    public var svg: String {
        let entries = (ram.map { ($0, "ram") } + reserved.map { ($0, "reserved") } + placed.map { ($0, "item") })
            .sorted { ($0.0.base, $0.1) < ($1.0.base, $1.1) }
        let rowHeight = 28, width = 760
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(entries.count * rowHeight + 40)\" font-family=\"monospace\" font-size=\"13\">\n"
        out += "<text x=\"10\" y=\"20\" font-weight=\"bold\">Physical memory map</text>\n"
        let colours = ["ram": "#dfe8f1", "reserved": "#c9c9c9", "item": "#8fd19e"]
        for (i, (r, kind)) in entries.enumerated() {
            let y = 30 + i * rowHeight
            let indent = kind == "ram" ? 10 : 40
            out += "<rect x=\"\(indent)\" y=\"\(y)\" width=\"\(width - indent - 10)\" height=\"\(rowHeight - 4)\" fill=\"\(colours[kind] ?? "#fff")\" stroke=\"#555\"/>\n"
            let label = "\(kind == "ram" ? "RAM" : kind == "reserved" ? "reserved" : "") \(r.name)  \(hex(r.base))-\(hex(r.end))  \(human(r.size))"
            out += "<text x=\"\(indent + 8)\" y=\"\(y + 17)\">\(escape(label))</text>\n"
        }
        return out + "</svg>\n"
    }
}

private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
private func hex18(_ v: UInt64) -> String { "0x" + String(String(v, radix: 16).reversed()).padding(16).reversed() }
private extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: "0", count: n - count) }
}
func human(_ v: UInt64) -> String {
    if v >= 1 << 30 && v % (1 << 30) == 0 { return "\(v >> 30) GiB" }
    if v >= 1 << 20 { return String(format1(Double(v) / Double(1 << 20))) + " MiB" }
    if v >= 1 << 10 { return String(format1(Double(v) / Double(1 << 10))) + " KiB" }
    return "\(v) B"
}
private func format1(_ d: Double) -> String {
    let tenths = Int((d * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
}
private func escape(_ s: String) -> String {
    s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
}
extension String {
    func replacingAll(_ a: String, _ b: String) -> String { split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b) }
}
