/// `compatible` and `status`.
extension Node {
    /// The `compatible` strings, most specific first; split once and kept until the node's properties change
    /// (analyses ask for them per node and per catalog entry).
    public var compatibles: [String] {
        if let known = cachedCompatibles { return known }
        let list = property("compatible")?.strings ?? []
        cachedCompatibles = list
        return list
    }

    public func isCompatible(with compatible: String) -> Bool {
        compatibles.contains(compatible)
    }

    /// `status` as written; nil when absent.
    public var status: String? { property("status")?.string }

    /// True when `status` is absent, "okay" or "ok" (the devicetree spec and Linux's `of_device_is_available`).
    public var isEnabled: Bool {
        guard let s = status else { return true }
        return s == "okay" || s == "ok"
    }
}

extension DeviceTree {
    /// Nodes with `compatible` in their list, in pre-order, from an index built once per tree (catalogs of
    /// mechanisms and drivers ask for one compatible after another); any edit to the tree rebuilds it.
    public func nodes(compatibleWith compatible: String) -> [Node] {
        if let index = compatibleIndex, index.root === root, index.revision == root.revision {
            return index.nodes[compatible] ?? []
        }
        let index = CompatibleIndex(root, nodes: allNodes)
        compatibleIndex = index
        return index.nodes[compatible] ?? []
    }
}

/// Compatible string to the nodes that list it (pre-order), for one tree at one revision.
final class CompatibleIndex {
    let root: Node
    let revision: UInt64
    let nodes: [String: [Node]]

    init(_ root: Node, nodes all: [Node]) {
        var table: [String: [Node]] = [:]
        for node in all {
            let list = node.compatibles
            // A node listing a compatible twice appears once.
            for (i, c) in list.enumerated() where !list[..<i].contains(c) { table[c, default: []].append(node) }
        }
        self.root = root
        revision = root.revision
        nodes = table
    }
}
