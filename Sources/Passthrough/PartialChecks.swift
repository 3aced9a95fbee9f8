import DeviceTree
import XenArm

/// One run of `PartialValidator.validate`: the rules in the order Xen 4.17 meets them, each problem naming the
/// node, the property and the rule.
final class PartialChecks {
    let partial: DeviceTree
    let host: DeviceTree?
    private(set) var problems: [String] = []
    /// Every device's guest ranges, for rule 19.
    private var allGuest: [(UInt64, UInt64, String)] = []

    typealias XenRange = (host: UInt64, size: UInt64, guest: UInt64)

    init(partial: DeviceTree, host: DeviceTree?) {
        self.partial = partial
        self.host = host
    }

    func problem(_ rule: Int, _ node: Node, _ property: String?, _ text: String) {
        problems.append("rule \(rule): \(node.path)\(property.map { " '\($0)'" } ?? ""): \(text)")
    }

    func run() {
        // Rule 1 (structure the encoder and libfdt accept).
        do { _ = try DTBEncoder.encode(partial) } catch {
            problems.append("rule 1: Partial FDT is not a valid Flat Device Tree: \(error)")
        }
        guard let bus = rootAndBus() else { return }
        // Rule 4 uses the cells Xen would use.
        let na = Int(bus.property("#address-cells")?.u32 ?? 2), ns = Int(bus.property("#size-cells")?.u32 ?? 1)
        phandles(bus)
        for device in bus.children { checkDevice(device, na: na, ns: ns) }
        bus.forEachNode { node in if node !== bus { interrupts(node) } }
        // Rule 19: no two guest ranges overlap.
        let sorted = allGuest.sorted { $0.0 < $1.0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.0 < a.0 &+ a.1 {
            problems.append("rule 19: guest ranges of \(a.2) (\(hex(a.0)) +\(hex(a.1))) and \(b.2) (\(hex(b.0))) overlap")
        }
    }

    /// Rules 2 and 3: only /passthrough, /aliases and /gic are read; 2-cell root and bus; the bus is a simple-bus
    /// with empty ranges. Nil when there is no /passthrough.
    func rootAndBus() -> Node? {
        let root = partial.root
        for child in root.children where !["passthrough", "aliases", "gic"].contains(child.name) {
            problem(2, child, nil, "ignored by Xen (only /passthrough, /aliases and /gic are read from a partial tree)")
        }
        if root.property("#address-cells")?.u32 != 2 { problem(3, root, "#address-cells", "must be <2>") }
        if root.property("#size-cells")?.u32 != 2 { problem(3, root, "#size-cells", "must be <2>") }
        guard let bus = root.child(named: "passthrough") else {
            problems.append("rule 2: no /passthrough node (xl requires it; Xen reads devices only from it)")
            return nil
        }
        if !bus.compatibles.contains("simple-bus") { problem(3, bus, "compatible", "must be \"simple-bus\"") }
        if bus.property("ranges").map({ !$0.isEmpty }) ?? true { problem(3, bus, "ranges", "must be present and empty") }
        if bus.property("#address-cells")?.u32 != 2 { problem(3, bus, "#address-cells", "must be <2> (Xen defaults to 2)") }
        if bus.property("#size-cells")?.u32 != 2 { problem(3, bus, "#size-cells", "must be <2> (Xen defaults to 1 when absent)") }
        return bus
    }

    /// Rule 5: phandles below 65000, unique, and references resolve inside /passthrough.
    func phandles(_ bus: Node) {
        var inside: [UInt32: Node] = [:]
        partial.forEachNode { node in
            guard let ph = node.phandle else { return }
            if ph >= 65000 { problem(5, node, "phandle", "0x\(String(ph, radix: 16)) is at or above 65000 (Xen's GUEST_PHANDLE_GIC / IOMMU)") }
            if inside[ph] != nil { problem(5, node, "phandle", "0x\(String(ph, radix: 16)) is used twice") }
            let underBus = node === bus || node.path.hasPrefix("/passthrough/")
            if underBus { inside[ph] = node } else { problem(2, node, "phandle", "referenced nodes must live inside /passthrough") }
        }
        bus.forEachNode { node in
            for p in node.properties { references(p, of: node, inside: inside) }
        }
    }

    func references(_ p: Property, of node: Node, inside: [UInt32: Node]) {
        if p.name == "interrupt-parent" {
            if let v = p.u32, v != PartialBuilder.guestGICPhandle, inside[v] == nil {
                problem(5, node, p.name, "phandle 0x\(String(v, radix: 16)) resolves to nothing in the partial tree")
            }
            return
        }
        guard let layout = PhandleProperties.layout(of: p, phandles: inside)
            ?? (PhandleProperties.specifierProperties[p.name] != nil ? .specifiers(cellsProperty: "") : nil) else { return }
        do {
            for r in try PhandleProperties.references(p, layout: layout, of: node, phandles: inside) where r.target == nil {
                problem(5, node, p.name, "phandle 0x\(String(r.phandle, radix: 16)) resolves to nothing inside /passthrough")
            }
        } catch {
            problem(5, node, p.name, "\(error)")
        }
    }

    /// Rules 7-11, 17 and 18 for one device node directly under /passthrough.
    func checkDevice(_ device: Node, na: Int, ns: Int) {
        let hostNode = xenProperties(device)
        let ranges = device.property("xen,reg").map { xenReg(device, $0, na: na, ns: ns) } ?? []
        if !ranges.isEmpty { guestReg(device, ranges: ranges, hostNode: hostNode) }
        for r in ranges {
            // Rules 17 and 18.
            if let c = GuestMemoryMap.conflict(r.guest, r.size) {
                let rule = c.base >= GuestMemoryMap.ramBase ? 18 : 17
                problem(rule, device, "xen,reg", "guest range \(hex(r.guest)) +\(hex(r.size)) overlaps \(c.name)")
            }
            allGuest.append((r.guest, r.size, device.path))
        }
    }

    /// Rules 9, 7 and 10: the valid combinations of xen,reg / xen,path / xen,force-assign-without-iommu, the host
    /// node xen,path names (returned), and force-assign for a host device without iommus.
    func xenProperties(_ device: Node) -> Node? {
        let xenReg = device.property("xen,reg")
        let xenPath = device.property("xen,path")
        let force = device.hasProperty("xen,force-assign-without-iommu")
        // Dependency nodes carry no xen,reg.
        if xenReg == nil {
            if xenPath != nil { problem(9, device, "xen,path", "present without xen,reg (\"xen,reg or xen,path missing\")") }
            if force { problem(9, device, "xen,force-assign-without-iommu", "present without xen,reg") }
        } else {
            if device.hasProperty("#clock-cells") || device.compatibles.contains("fixed-clock") {
                problem(9, device, "xen,reg", "a dependency node (clock) must not carry xen,reg")
            }
            if xenPath == nil && !force { problem(9, device, "xen,reg", "present without xen,path or xen,force-assign-without-iommu (\"xen,reg or xen,path missing\")") }
        }
        var hostNode: Node?
        if let xp = xenPath {
            if let s = xp.string, s.hasPrefix("/") {
                if let host {
                    hostNode = host.node(at: s)
                    if hostNode == nil { problem(7, device, "xen,path", "\"\(s)\" is not in the host tree (\"Couldn't find node in host_dt!\")") }
                }
            } else {
                problem(7, device, "xen,path", "must be an absolute host path string")
            }
        }
        if let hostNode, !hostNode.hasProperty("iommus"), !force {
            problem(10, device, "xen,force-assign-without-iommu", "missing, and \(hostNode.path) is not behind an IOMMU (\"Failed to assign device\")")
        }
        return hostNode
    }

    /// Rules 4 and 8: xen,reg as <host size guest> records of the bus's cells, each 4 KiB aligned.
    func xenReg(_ device: Node, _ xenReg: Property, na: Int, ns: Int) -> [XenRange] {
        let per = na + ns + na
        guard let cells = xenReg.cells, per > 0, cells.count % per == 0, cells.count > 0, (1...2).contains(na), (1...2).contains(ns) else {
            problem(4, device, "xen,reg", "\(xenReg.value.count) bytes is not a non-empty list of <host size guest> records of \(na)+\(ns)+\(na) cells")
            return []
        }
        func num(_ s: ArraySlice<UInt32>) -> UInt64 { s.reduce(0) { $0 << 32 | UInt64($1) } }
        var ranges: [XenRange] = []
        for i in stride(from: 0, to: cells.count, by: per) {
            let h = num(cells[i..<(i + na)]), s = num(cells[(i + na)..<(i + na + ns)]), g = num(cells[(i + na + ns)..<(i + per)])
            ranges.append((h, s, g))
            if h % xenPageSize != 0 || s % xenPageSize != 0 || g % xenPageSize != 0 || s == 0 {
                problem(8, device, "xen,reg", "<\(hex(h)) \(hex(s)) \(hex(g))> is not 4 KiB aligned (\"DomU passthrough config has not page aligned addresses/sizes\")")
            }
        }
        return ranges
    }

    /// Rule 11: reg = guest CPU addresses inside the xen,reg guest ranges (and, with the host, at the same offsets);
    /// with the host, xen,reg's host ranges are exactly the page-aligned translated host reg (rule 7).
    func guestReg(_ device: Node, ranges: [XenRange], hostNode: Node?) {
        let regs = (try? device.reg()) ?? []
        if regs.isEmpty { problem(11, device, "reg", "missing or malformed; it must hold the guest addresses") }
        let hostRegions = hostNode.flatMap { try? host?.physicalRegions(of: $0) }
        for (k, r) in regs.enumerated() {
            guard let a = r.address.uint64, let s = r.size.uint64 else { continue }
            guard let m = ranges.first(where: { a >= $0.guest && a &+ s <= $0.guest &+ $0.size }) else {
                problem(11, device, "reg", "\(hex(a)) +\(hex(s)) is outside every xen,reg guest range")
                continue
            }
            if let hostRegions, k < hostRegions.count, hostRegions[k].address &- m.host != a &- m.guest {
                problem(11, device, "reg", "entry \(k) \(hex(a)) does not correspond to host \(hex(hostRegions[k].address)) through xen,reg")
            }
        }
        guard let hostRegions else { return }
        let expected = AddressPlanner.pageRanges(hostRegions)
        let actual = ranges.map { ($0.host, $0.host &+ $0.size) }.sorted { $0.0 < $1.0 }
        if expected.count != actual.count || zip(expected, actual).contains(where: { $0.0 != $1.0 || $0.1 != $1.1 }) {
            problem(7, device, "xen,reg", "host ranges \(actual.map { "\(hex($0.0))-\(hex($0.1))" }) do not match \(hostNode?.path ?? "")'s translated reg \(expected.map { "\(hex($0.0))-\(hex($0.1))" })")
        }
    }

    /// Rules 12-14 (and 19's vpl011 SPI) on a node under /passthrough: status okay, interrupts as 3-cell SPIs with
    /// interrupt-parent = the guest GIC.
    func interrupts(_ node: Node) {
        if let s = node.property("status"), s.string != "okay" && s.string != "ok" {
            problem(12, node, "status", "is \"\(s.string ?? "?")\"; must be absent or \"okay\"")
        }
        guard let ints = node.property("interrupts") else {
            if node.hasProperty("interrupts-extended") { problem(14, node, "interrupts-extended", "use interrupts with interrupt-parent = <0xfde8>") }
            return
        }
        guard let ip = node.property("interrupt-parent")?.u32, ip == PartialBuilder.guestGICPhandle else {
            problem(14, node, "interrupt-parent", "every node with interrupts needs an explicit interrupt-parent = <0xfde8>")
            return
        }
        guard let cells = ints.cells, cells.count % 3 == 0, !cells.isEmpty else {
            problem(13, node, "interrupts", "\(ints.value.count) bytes is not a list of 3-cell GIC specifiers")
            return
        }
        for i in stride(from: 0, to: cells.count, by: 3) {
            switch cells[i] {
            case 0:
                if cells[i + 1] == 0 { problem(19, node, "interrupts", "SPI 0 (INTID 32) collides with vpl011's interrupt") }
                if cells[i + 1] >= 988 { problem(13, node, "interrupts", "SPI \(cells[i + 1]) is beyond the GIC's SPI range") }
            case 1: problem(13, node, "interrupts", "PPI \(cells[i + 1]) (\"IRQ can only be routed to an SPI\")")
            default: problem(13, node, "interrupts", "type \(cells[i]) is not an SPI (0)")
            }
        }
    }
}
