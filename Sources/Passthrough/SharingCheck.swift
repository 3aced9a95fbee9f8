import DeviceTree
import XenArm

/// Finds devices that stay in Dom0 but share a 4 KiB page or an SPI with a passed device (rules 8 and 20).
struct SharingCheck {
    let host: DeviceTree
    let primaryGIC: Node?
    /// The passed nodes; they, their descendants and their ancestors are not "other devices".
    let passed: [Node]

    /// Nodes that stay in Dom0 and can own MMIO or interrupts: enabled, not a pseudo node, not related to a
    /// passed node.
    func others() -> [Node] {
        let passedIDs = Set(passed.map(ObjectIdentifier.init))
        var ancestors = Set<ObjectIdentifier>()
        for p in passed {
            var a = p.parent
            while let n = a { ancestors.insert(ObjectIdentifier(n)); a = n.parent }
        }
        var out: [Node] = []
        var stack: [Node] = host.root.children.reversed()
        while let node = stack.popLast() {
            let id = ObjectIdentifier(node)
            if passedIDs.contains(id) || !node.isEnabled { continue } // skip the subtree
            let top = node.depth == 1 ? node.baseName : ""
            if ["chosen", "aliases", "cpus", "reserved-memory", "__symbols__", "memory"].contains(top) { continue }
            if node.property("device_type")?.string == "memory" { continue }
            if !ancestors.contains(id) { out.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return out
    }

    /// The first other device with `reg` in one of `pages` (page-aligned `[start, end)` ranges), or nil.
    func pageSharer(of ranges: [(UInt64, UInt64)], among others: [Node]) -> (page: UInt64, node: Node)? {
        for node in others where node.hasProperty("reg") {
            guard let regions = try? host.physicalRegions(of: node) else { continue }
            for r in regions where r.size > 0 {
                for (start, end) in ranges where r.address < end && start < r.end {
                    return (max(alignDown(r.address, 0x1000), start), node)
                }
            }
        }
        return nil
    }

    /// The first other device that uses SPI `intid` on the primary GIC, or nil.
    func irqSharer(of intid: UInt32, among others: [Node]) -> Node? {
        guard intid >= 32 else { return nil }
        let number = intid - 32
        for node in others {
            // Cheap filter before the full interrupt resolution: the SPI number must appear among the raw cells.
            guard let raw = (node.property("interrupts") ?? node.property("interrupts-extended"))?.cells,
                  raw.contains(number) || raw.contains(intid) || node.hasProperty("interrupts-extended") else { continue }
            guard let specs = try? host.interrupts(of: node) else { continue }
            for s in specs where GICInterrupt.isGIC(s.controller) && (primaryGIC == nil || s.controller === primaryGIC) {
                if let g = GICInterrupt(s), g.kind == .spi, g.intid == intid { return node }
            }
        }
        return nil
    }
}
