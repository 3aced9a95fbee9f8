/// Prints a tree as DTS in dtc's syntax; `dtc -I dts -O dtb` of the output gives back an equal tree.
///
/// Values are shown the way dtc guesses them: a list of printable NUL-terminated strings as `"a", "b"`, a length
/// that is a multiple of 4 as `<cells>`, anything else as `[bytes]`. Labels from `/__symbols__` are printed in
/// front of the nodes they name (they do not change the compiled tree).
public enum DTSPrinter {
    public static func dts(_ tree: DeviceTree, labels: Bool = true) -> String {
        var out = "/dts-v1/;\n"
        if tree.bootCPUID != 0 {
            // A header field with no DTS syntax: dtc takes it on the command line.
            out += "// boot_cpuid_phys: 0x\(String(tree.bootCPUID, radix: 16)) (compile with dtc -b \(tree.bootCPUID))\n"
        }
        out += "\n"
        for r in tree.memoryReservations {
            out += "/memreserve/ 0x\(String(r.address, radix: 16)) 0x\(String(r.size, radix: 16));\n"
        }
        var labelMap: [String: [String]] = [:]
        if labels {
            for (label, path) in tree.labels where isValidLabel(label) { labelMap[path, default: []].append(label) }
        }
        write(tree.root, path: "/", indent: 0, labels: labelMap, into: &out)
        return out
    }

    /// One node and its subtree, without the `/dts-v1/;` header (for `dt get`).
    public static func dts(node: Node) -> String {
        var out = ""
        write(node, path: node.path, indent: 0, labels: [:], into: &out)
        return out
    }

    /// `name = value;` or `name;` for one property.
    public static func line(_ p: Property) -> String {
        p.value.isEmpty ? "\(p.name);" : "\(p.name) = \(value(p.value));"
    }

    /// The value part of a property in DTS syntax.
    public static func value(_ bytes: Bytes) -> String { value(bytes.array) }

    public static func value(_ bytes: [UInt8]) -> String {
        if let strings = printableStrings(bytes) {
            return strings.map { "\"" + escape($0) + "\"" }.joined(separator: ", ")
        }
        if bytes.count % 4 == 0 {
            var cells: [String] = []
            var i = 0
            while i < bytes.count {
                let v = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                cells.append("0x" + String(v, radix: 16))
                i += 4
            }
            return "<" + cells.joined(separator: " ") + ">"
        }
        return "[" + bytes.map { hex2($0) }.joined(separator: " ") + "]"
    }

    private static func write(_ node: Node, path: String, indent: Int, labels: [String: [String]], into out: inout String) {
        let pad = String(repeating: "\t", count: indent)
        let labelPrefix = (labels[path] ?? []).map { "\($0): " }.joined()
        out += "\(pad)\(labelPrefix)\(node.isRoot ? "/" : node.name) {\n"
        for p in node.properties { out += "\(pad)\t\(line(p))\n" }
        for child in node.children {
            out += "\n"
            let childPath = path == "/" ? "/" + child.name : path + "/" + child.name
            write(child, path: childPath, indent: indent + 1, labels: labels, into: &out)
        }
        out += "\(pad)};\n"
    }

    /// The strings of a value that is a list of non-empty printable NUL-terminated strings, else nil.
    static func printableStrings(_ bytes: [UInt8]) -> [String]? {
        guard let last = bytes.last, last == 0 else { return nil }
        var out: [String] = []
        var current: [UInt8] = []
        for b in bytes {
            if b == 0 {
                guard !current.isEmpty else { return nil }
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else if (0x20...0x7e).contains(b) || b == 0x09 || b == 0x0a || b == 0x0d {
                current.append(b)
            } else {
                return nil
            }
        }
        return out
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xf)]])
    }

    private static func isValidLabel(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
