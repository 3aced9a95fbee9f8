/// Interrupt specifiers resolved to the interrupt controller that receives them: `interrupt-parent` chains,
/// `interrupts` / `interrupts-extended`, and interrupt nexus nodes (`interrupt-map`), following Linux's
/// `of_irq_find_parent` / `of_irq_parse_raw`.
public struct InterruptSpecifier: Equatable {
    public let controller: Node
    public let cells: [UInt32]

    public init(controller: Node, cells: [UInt32]) {
        self.controller = controller
        self.cells = cells
    }

    public static func == (a: InterruptSpecifier, b: InterruptSpecifier) -> Bool {
        a.controller === b.controller && a.cells == b.cells
    }
}

extension Node {
    public var isInterruptController: Bool { hasProperty("interrupt-controller") }
    public var interruptCells: Int? { property("#interrupt-cells")?.u32.map(Int.init) }
}

extension DeviceTree {
    /// The node `node`'s `interrupts` refer to: the first node with `#interrupt-cells` reached by following
    /// `interrupt-parent` where present and the tree parent otherwise, starting at `node` itself.
    public func interruptParent(of node: Node) throws -> Node? {
        var current: Node? = node
        for _ in 0..<Self.resolutionLimit {
            guard let c = current else { return nil }
            if let p = c.property("interrupt-parent") {
                guard let ph = p.u32 else {
                    throw DeviceTreeError(c, property: "interrupt-parent", "expected one phandle cell, got \(p.value.count) bytes")
                }
                guard let target = self.node(phandle: ph) else {
                    throw DeviceTreeError(c, property: "interrupt-parent", "phandle 0x\(String(ph, radix: 16)) matches no node")
                }
                current = target
            } else {
                current = c.parent
            }
            if let next = current, next.interruptCells != nil { return next }
        }
        throw DeviceTreeError(node, property: "interrupt-parent", "chain longer than \(Self.resolutionLimit) hops (a cycle?)")
    }

    /// Every interrupt of `node`, translated through interrupt nexus nodes to the controller that receives it.
    /// Empty when the node has neither `interrupts` nor `interrupts-extended`.
    public func interrupts(of node: Node) throws -> [InterruptSpecifier] {
        var raw: [(Node, [UInt32])] = []
        if let ext = node.property("interrupts-extended") {
            guard let cells = ext.cells else {
                throw DeviceTreeError(node, property: ext.name, "length \(ext.value.count) is not a multiple of 4")
            }
            var i = 0
            while i < cells.count {
                guard let controller = self.node(phandle: cells[i]) else {
                    throw DeviceTreeError(node, property: ext.name, "phandle 0x\(String(cells[i], radix: 16)) at cell \(i) matches no node")
                }
                guard let n = controller.interruptCells else {
                    throw DeviceTreeError(controller, property: "#interrupt-cells", "missing on a node referenced by \(node.path)'s \(ext.name)")
                }
                guard i + 1 + n <= cells.count else {
                    throw DeviceTreeError(node, property: ext.name, "specifier at cell \(i) needs \(n) cells, only \(cells.count - i - 1) left")
                }
                raw.append((controller, Array(cells[(i + 1)..<(i + 1 + n)])))
                i += 1 + n
            }
        } else if let ints = node.property("interrupts") {
            guard let parent = try interruptParent(of: node) else {
                throw DeviceTreeError(node, property: "interrupts", "no interrupt parent found")
            }
            guard let n = parent.interruptCells, n > 0 else {
                throw DeviceTreeError(parent, property: "#interrupt-cells", "missing or zero on \(node.path)'s interrupt parent")
            }
            guard let cells = ints.cells, cells.count % n == 0 else {
                throw DeviceTreeError(node, property: "interrupts",
                                      "\(ints.value.count) bytes is not a multiple of \(n) cells (#interrupt-cells of \(parent.path))")
            }
            var i = 0
            while i < cells.count {
                raw.append((parent, Array(cells[i..<(i + n)])))
                i += n
            }
        }
        let unit = try unitAddressForMap(node)
        return try raw.map { try resolve(controller: $0.0, spec: $0.1, unit: unit, device: node) }
    }

    /// The first `reg` address cells of the device, used as the child unit address in `interrupt-map` lookups.
    private func unitAddressForMap(_ node: Node) throws -> [UInt32] {
        guard let reg = node.property("reg"), let cells = reg.cells else { return [] }
        return cells
    }

    private func resolve(controller: Node, spec: [UInt32], unit: [UInt32], device: Node) throws -> InterruptSpecifier {
        var nexus = controller, spec = spec, unit = unit
        for _ in 0..<Self.resolutionLimit {
            if nexus.isInterruptController || !nexus.hasProperty("interrupt-map") {
                return InterruptSpecifier(controller: nexus, cells: spec)
            }
            let addrSize = nexus.childAddressCells
            let intSize = nexus.interruptCells ?? spec.count
            // Both size arrays below; bounded like Linux (OF_MAX_ADDR_CELLS 4, MAX_PHANDLE_ARGS 16) before any use.
            guard (0...4).contains(addrSize) else {
                throw DeviceTreeError(nexus, property: "#address-cells", "\(addrSize) cells, expected 0 to 4 for an interrupt-map unit address")
            }
            guard (0...16).contains(intSize) else {
                throw DeviceTreeError(nexus, property: "#interrupt-cells", "\(intSize) cells, expected 0 to 16")
            }
            var childUnit = Array(unit.prefix(addrSize))
            childUnit += repeatElement(0, count: addrSize - childUnit.count)
            let key = childUnit + spec
            let mask = try mapMask(nexus, count: addrSize + intSize)
            guard key.count == addrSize + intSize else {
                throw DeviceTreeError(nexus, property: "interrupt-map",
                                      "specifier from \(device.path) has \(spec.count) cells, #interrupt-cells is \(intSize)")
            }
            guard let map = nexus.property("interrupt-map")?.cells else {
                throw DeviceTreeError(nexus, property: "interrupt-map", "length is not a multiple of 4")
            }
            var i = 0
            var next: (Node, [UInt32], [UInt32])?
            while i < map.count, next == nil {
                guard i + key.count + 1 <= map.count else {
                    throw DeviceTreeError(nexus, property: "interrupt-map", "entry at cell \(i) is truncated")
                }
                let entryKey = Array(map[i..<(i + key.count)])
                let ph = map[i + key.count]
                guard let parent = self.node(phandle: ph) else {
                    throw DeviceTreeError(nexus, property: "interrupt-map", "phandle 0x\(String(ph, radix: 16)) at cell \(i + key.count) matches no node")
                }
                // Linux reads the parent's own #address-cells here, defaulting to 0.
                let pAddr = parent.property("#address-cells")?.u32.map(Int.init) ?? 0
                guard let pInt = parent.interruptCells else {
                    throw DeviceTreeError(parent, property: "#interrupt-cells", "missing on a target of \(nexus.path)'s interrupt-map")
                }
                let start = i + key.count + 1
                guard start + pAddr + pInt <= map.count else {
                    throw DeviceTreeError(nexus, property: "interrupt-map", "entry at cell \(i) is truncated")
                }
                if zip(zip(key, mask), entryKey).allSatisfy({ ($0.0 & $0.1) == $1 }) {
                    next = (parent, Array(map[start..<(start + pAddr)]), Array(map[(start + pAddr)..<(start + pAddr + pInt)]))
                }
                i = start + pAddr + pInt
            }
            guard let (parent, parentUnit, parentSpec) = next else {
                throw DeviceTreeError(nexus, property: "interrupt-map", "no entry matches interrupt \(spec) of \(device.path)")
            }
            nexus = parent
            unit = parentUnit
            spec = parentSpec
        }
        throw DeviceTreeError(device, property: "interrupts", "interrupt-map chain longer than \(Self.resolutionLimit) hops")
    }

    private func mapMask(_ nexus: Node, count: Int) throws -> [UInt32] {
        guard let p = nexus.property("interrupt-map-mask") else { return Array(repeating: 0xffff_ffff, count: count) }
        guard let cells = p.cells, cells.count == count else {
            throw DeviceTreeError(nexus, property: p.name, "expected \(count) cells, got \(p.value.count) bytes")
        }
        return cells
    }
}
