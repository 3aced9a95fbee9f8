/// Phandles (`phandle`, or the older `linux,phandle`) and labels from `/__symbols__`.
extension Node {
    /// This node's phandle, from `phandle` or else `linux,phandle`.
    public var phandle: UInt32? {
        (property("phandle") ?? property("linux,phandle"))?.u32
    }
}

extension DeviceTree {
    /// Every node that has a phandle, by phandle. The first node wins when a phandle is duplicated.
    public func phandleTable() -> [UInt32: Node] {
        var table: [UInt32: Node] = [:]
        forEachNode { node in
            if let ph = node.phandle, table[ph] == nil { table[ph] = node }
        }
        return table
    }

    public func node(phandle: UInt32) -> Node? {
        var found: Node?
        forEachNode { node in
            if found == nil, node.phandle == phandle { found = node }
        }
        return found
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

    /// Labels from `/__symbols__` (present when the blob was built with `dtc -@`): label name to path.
    public var labels: [(label: String, path: String)] {
        guard let symbols = root.child(named: "__symbols__") else { return [] }
        return symbols.properties.compactMap { p in p.string.map { (p.name, $0) } }
    }

    public func node(label: String) -> Node? {
        guard let path = labels.first(where: { $0.label == label })?.path else { return nil }
        return node(at: path)
    }

    /// Labels that name `node`.
    public func labels(of node: Node) -> [String] {
        let path = node.path
        return labels.filter { $0.path == path }.map(\.label)
    }
}
