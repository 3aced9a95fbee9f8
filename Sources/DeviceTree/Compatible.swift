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
        currentCompatibleIndex.nodes[compatible] ?? []
    }

    /// Nodes with any of `compatibles` in their list, each once, in pre-order.
    public func nodes(compatibleWithAnyOf compatibles: [String]) -> [Node] {
        let index = currentCompatibleIndex
        let lists = compatibles.compactMap { index.nodes[$0] }
        guard lists.count > 1 else { return lists.first ?? [] }
        let wanted = Set(lists.joined().map(ObjectIdentifier.init))
        return allNodes.filter { wanted.contains(ObjectIdentifier($0)) }
    }

    /// True when some node lists a compatible for which `predicate` holds (each distinct string tested once).
    public func containsCompatible(where predicate: (String) -> Bool) -> Bool {
        currentCompatibleIndex.nodes.keys.contains(where: predicate)
    }

    var currentCompatibleIndex: CompatibleIndex {
        if let index = compatibleIndex, index.root === root, index.revision == root.revision { return index }
        let index = CompatibleIndex(root, nodes: allNodes)
        compatibleIndex = index
        return index
    }
}

/// Compatible string to the nodes that list it (pre-order), for one tree at one revision.
final class CompatibleIndex {
    let root: Node
    let revision: UInt64
    let nodes: [String: [Node]]

    init(_ root: Node, nodes all: [Node]) {
        var table: [String: [Node]] = [:]
        table.reserveCapacity(all.count)
        for node in all {
            let list = node.compatibles
            if list.count == 1 { table[list[0], default: []].append(node); continue }
            // A node listing a compatible twice appears once.
            for (i, c) in list.enumerated() where !list[..<i].contains(c) { table[c, default: []].append(node) }
        }
        self.root = root
        revision = root.revision
        nodes = table
    }
}
