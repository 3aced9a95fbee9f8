/// The checks dtc makes as errors on phandles, names and cell sizes, by dtc's check names, so `dt check` rejects
/// what dtc rejects and `dt set` can refuse to write it. Each problem names the check, the node and the property.
public struct TreeProblem: Equatable, Sendable, CustomStringConvertible {
    /// dtc's name for the check (`explicit_phandles`, `node_name_chars`, `address_cells_is_cell`, ...).
    public let check: String
    public let path: String
    public let property: String?
    public let detail: String

    public var description: String {
        "\(path)\(property.map { ": \($0)" } ?? ""): \(detail) [\(check)]"
    }
}

extension DeviceTree {
    /// Every problem in the tree, in node order.
    public func structuralProblems() -> [TreeProblem] {
        var problems: [TreeProblem] = []
        var phandles: [UInt32: String] = [:]
        forEachNode { node in
            problems += TreeChecks.names(node)
            problems += TreeChecks.cells(node)
            problems += TreeChecks.phandle(node, seen: &phandles)
        }
        return problems
    }
}

public enum TreeChecks {
    /// dtc's NODE_NAME_CHARS (plus one `@` before the unit address) and PROPNODECHARS.
    static let nodeNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-".unicodeScalars)
    static let propertyNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?-".unicodeScalars)

    /// Why `name` is not a valid node name (dtc's node_name_chars / node_name_format), or nil.
    public static func nodeNameProblem(_ name: String) -> String? {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        if name.isEmpty || parts[0].isEmpty { return "empty node name" }
        if parts.count > 2 { return "node name '\(name)' has more than one '@'" }
        if name == "." || name == ".." { return "node name '\(name)' is a path component, not a name" }
        if let bad = name.unicodeScalars.first(where: { $0 != "@" && !nodeNameCharacters.contains($0) }) {
            return "node name '\(name)' contains '\(bad)' (allowed: letters, digits, , . _ + - and one @)"
        }
        return nil
    }

    /// Why `name` is not a valid property name (dtc's property_name_chars), or nil.
    public static func propertyNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "empty property name" }
        if let bad = name.unicodeScalars.first(where: { !propertyNameCharacters.contains($0) }) {
            return "property name '\(name)' contains '\(bad)' (allowed: letters, digits, , . _ + * # ? -)"
        }
        return nil
    }

    static func names(_ node: Node) -> [TreeProblem] {
        var problems: [TreeProblem] = []
        if !node.isRoot, let why = nodeNameProblem(node.name) {
            problems.append(TreeProblem(check: why.contains("@") && why.contains("more than") ? "node_name_format" : "node_name_chars", path: node.path, property: nil, detail: why))
        }
        var seenChildren = Set<String>(), seenProperties = Set<String>()
        for child in node.children where !seenChildren.insert(child.name).inserted {
            problems.append(TreeProblem(check: "duplicate_node_names", path: node.path, property: nil, detail: "two children named '\(child.name)'"))
        }
        for p in node.properties {
            if let why = propertyNameProblem(p.name) {
                problems.append(TreeProblem(check: "property_name_chars", path: node.path, property: p.name, detail: why))
            }
            if !seenProperties.insert(p.name).inserted {
                problems.append(TreeProblem(check: "duplicate_property_names", path: node.path, property: p.name, detail: "property given twice"))
            }
        }
        return problems
    }

    /// `#address-cells`, `#size-cells`, `#interrupt-cells` must be one cell (a malformed `reg` is refused where
    /// it is decoded, `Node.reg()`).
    static func cells(_ node: Node) -> [TreeProblem] {
        var problems: [TreeProblem] = []
        for (name, check) in [("#address-cells", "address_cells_is_cell"), ("#size-cells", "size_cells_is_cell"), ("#interrupt-cells", "interrupt_cells_is_cell")] {
            if let p = node.property(name), p.value.count != 4 {
                problems.append(TreeProblem(check: check, path: node.path, property: name, detail: "must be one 32-bit cell, is \(p.value.count) bytes"))
            }
        }
        return problems
    }

    /// dtc's explicit_phandles: a phandle is one cell, neither 0 nor 0xffffffff, unique, and equal to
    /// `linux,phandle` when both are present.
    static func phandle(_ node: Node, seen: inout [UInt32: String]) -> [TreeProblem] {
        var problems: [TreeProblem] = []
        func problem(_ property: String, _ detail: String) {
            problems.append(TreeProblem(check: "explicit_phandles", path: node.path, property: property, detail: detail))
        }
        for name in ["phandle", "linux,phandle"] {
            guard let p = node.property(name) else { continue }
            guard let value = p.u32 else { problem(name, "must be one 32-bit cell, is \(p.value.count) bytes"); continue }
            if value == 0 || value == 0xffff_ffff { problem(name, "bad value 0x\(String(value, radix: 16))") }
        }
        if let a = node.property("phandle")?.u32, let b = node.property("linux,phandle")?.u32, a != b {
            problem("linux,phandle", "differs from phandle (0x\(String(b, radix: 16)) vs 0x\(String(a, radix: 16)))")
        }
        if let value = node.phandle, value != 0, value != 0xffff_ffff {
            if let other = seen[value] { problem("phandle", "value 0x\(String(value, radix: 16)) duplicated (also on \(other))") } else { seen[value] = node.path }
        }
        return problems
    }
}
