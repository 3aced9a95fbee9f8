/// Phandles (`phandle`, or the older `linux,phandle`) and labels from `/__symbols__`.
extension Node {
    /// This node's phandle, from `phandle` or else `linux,phandle`.
    public var phandle: UInt32? {
        // One pass over the properties (the phandle index asks every node): `phandle` wins over `linux,phandle`.
        var legacy: Property?
        for p in properties {
            if sameName(p.name, "phandle") { return p.u32 }
            if legacy == nil, sameName(p.name, "linux,phandle") { legacy = p }
        }
        return legacy?.u32
    }
}

extension DeviceTree {
    /// Every node that has a phandle, by phandle (the first node wins when a phandle is duplicated): a fresh
    /// snapshot, which also refreshes the index `node(phandle:)` uses.
    public func phandleTable() -> [UInt32: Node] {
        let index = PhandleIndex(self)
        phandleIndex = index
        return index.nodes
    }

    /// The node with this phandle, from the index built once per tree (as Zephyr's dtlib does) instead of a walk
    /// per lookup. A hit is checked (the node still has that phandle and is still in this tree); a miss or a stale
    /// hit rebuilds the index once, so edits made through any API are seen (a miss costs a walk, as before; misses
    /// are dangling references, an error path). With duplicated phandles the first node in tree order wins.
    public func node(phandle: UInt32) -> Node? {
        if let index = phandleIndex, let hit = index.nodes[phandle], index.isCurrent(hit, phandle: phandle, root: root) {
            return hit
        }
        let index = PhandleIndex(self)
        phandleIndex = index
        return index.nodes[phandle]
    }

    /// Phandle values used by more than one node (a broken tree; libfdt's lookups then find only one of them).
    public func duplicatePhandles() -> [UInt32: [Node]] {
        var seen: [UInt32: [Node]] = [:]
        forEachNode { node in
            if let ph = node.phandle { seen[ph, default: []].append(node) }
        }
        return seen.filter { $0.value.count > 1 }
    }

    /// The largest phandle in use (0 when none).
    public var maxPhandle: UInt32 {
        var m: UInt32 = 0
        forEachNode { node in
            if let ph = node.phandle, ph != 0xffff_ffff { m = max(m, ph) }
        }
        return m
    }

    /// Returns the node's phandle, giving it a new one (largest in use + 1) first if it has none.
    @discardableResult
    public func ensurePhandle(_ node: Node) throws -> UInt32 {
        if let ph = node.phandle { return ph }
        let next = maxPhandle &+ 1
        guard next != 0, next != 0xffff_ffff else {
            throw DeviceTreeError(node, property: "phandle", "no free phandle value left")
        }
        node.setProperty("phandle", .u32([next]))
        return next
    }

    /// Labels from `/__symbols__` (present when the blob was built with `dtc -@`): label name and path, in order.
    public var labels: [(label: String, path: String)] {
        guard let symbols = root.child(named: "__symbols__") else { return [] }
        return symbols.properties.compactMap { p in p.string.map { (p.name, $0) } }
    }

    public func node(label: String) -> Node? {
        guard let path = labelIndex.paths[label] else { return nil }
        return node(at: path)
    }

    /// Labels that name `node`.
    public func labels(of node: Node) -> [String] {
        labelIndex.labels[node.path] ?? []
    }

    /// The label maps, built once per `/__symbols__` content (rebuilt when the node or its properties change).
    var labelIndex: LabelIndex {
        let symbols = root.child(named: "__symbols__")
        if let index = cachedLabels, index.symbols === symbols, index.properties == symbols?.properties ?? [] { return index }
        let index = LabelIndex(symbols: symbols, labels: labels)
        cachedLabels = index
        return index
    }
}

/// Phandle to node, for one tree, with the root it was built from.
final class PhandleIndex {
    let nodes: [UInt32: Node]
    let root: Node

    init(_ tree: DeviceTree) {
        var table: [UInt32: Node] = [:]
        tree.forEachNode { node in
            if let ph = node.phandle, table[ph] == nil { table[ph] = node }
        }
        nodes = table
        root = tree.root
    }

    /// The hit still carries `phandle` and still hangs below `root`.
    func isCurrent(_ node: Node, phandle: UInt32, root: Node) -> Bool {
        guard node.phandle == phandle, root === self.root else { return false }
        var top = node
        while let p = top.parent { top = p }
        return top === root
    }

}

/// Label to path and path to labels, from `/__symbols__`.
final class LabelIndex {
    let symbols: Node?
    let properties: [Property]
    let paths: [String: String]
    let labels: [String: [String]]

    init(symbols: Node?, labels list: [(label: String, path: String)]) {
        self.symbols = symbols
        properties = symbols?.properties ?? []
        var paths: [String: String] = [:]
        var labels: [String: [String]] = [:]
        for (label, path) in list {
            if paths[label] == nil { paths[label] = path }
            labels[path, default: []].append(label)
        }
        self.paths = paths
        self.labels = labels
    }
}
