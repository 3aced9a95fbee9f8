import DeviceTree
import XenArm

/// Replays Xen 4.17's parsing of a partial device tree offline (rules 1-14 and 17-19; Xen 4.17 ignores errors in
/// child nodes at boot, rule 22). Each problem names the node, the property and the rule.
public enum PartialValidator {
    /// Validates an encoded partial tree: rule 1 (a valid FDT, checked by libfdt), then `validate(_:host:)`.
    public static func validate(blob: [UInt8], host: DeviceTree?) -> [String] {
        let tree: DeviceTree
        do { tree = try DTBDecoder.decode(blob) } catch {
            return ["rule 1: Partial FDT is not a valid Flat Device Tree: \(error)"]
        }
        var problems = validate(tree, host: host)
        if blob.count > Passthrough.guestDTBudget {
            problems.append("rule 6: partial tree is \(blob.count) bytes; Xen 4.17 builds the guest DT in \(Passthrough.guestDTBudget) bytes")
        }
        return problems
    }

    /// Problems with `partial` (empty when valid). With `host`, also checks that every `xen,path` exists there and
    /// that `xen,reg` host ranges match the host node's translated `reg` (page aligned).
    public static func validate(_ partial: DeviceTree, host: DeviceTree?) -> [String] {
        var problems: [String] = []
        func problem(_ rule: Int, _ node: Node, _ property: String?, _ text: String) {
            problems.append("rule \(rule): \(node.path)\(property.map { " '\($0)'" } ?? ""): \(text)")
        }
        // Rule 1 (structure the encoder and libfdt accept).
        do { _ = try DTBEncoder.encode(partial) } catch {
            problems.append("rule 1: Partial FDT is not a valid Flat Device Tree: \(error)")
        }
        let root = partial.root
        // Rule 2: only /passthrough, /aliases and /gic are read.
        for child in root.children where !["passthrough", "aliases", "gic"].contains(child.name) {
            problem(2, child, nil, "ignored by Xen (only /passthrough, /aliases and /gic are read from a partial tree)")
        }
        // Rule 3: cells and the bus.
        if root.property("#address-cells")?.u32 != 2 { problem(3, root, "#address-cells", "must be <2>") }
        if root.property("#size-cells")?.u32 != 2 { problem(3, root, "#size-cells", "must be <2>") }
        guard let bus = root.child(named: "passthrough") else {
            problems.append("rule 2: no /passthrough node (xl requires it; Xen reads devices only from it)")
            return problems
        }
        if !bus.compatibles.contains("simple-bus") { problem(3, bus, "compatible", "must be \"simple-bus\"") }
        if bus.property("ranges").map({ !$0.isEmpty }) ?? true { problem(3, bus, "ranges", "must be present and empty") }
        if bus.property("#address-cells")?.u32 != 2 { problem(3, bus, "#address-cells", "must be <2> (Xen defaults to 2)") }
        if bus.property("#size-cells")?.u32 != 2 { problem(3, bus, "#size-cells", "must be <2> (Xen defaults to 1 when absent)") }
        // Rule 4 uses the cells Xen would use.
        let na = Int(bus.property("#address-cells")?.u32 ?? 2), ns = Int(bus.property("#size-cells")?.u32 ?? 1)

        // Rule 5: phandles below 65000, unique, and references resolve inside /passthrough.
        var inside: [UInt32: Node] = [:]
        partial.forEachNode { node in
            guard let ph = node.phandle else { return }
            if ph >= 65000 { problem(5, node, "phandle", "0x\(String(ph, radix: 16)) is at or above 65000 (Xen's GUEST_PHANDLE_GIC / IOMMU)") }
            if inside[ph] != nil { problem(5, node, "phandle", "0x\(String(ph, radix: 16)) is used twice") }
            let underBus = node === bus || node.path.hasPrefix("/passthrough/")
            if underBus { inside[ph] = node } else { problem(2, node, "phandle", "referenced nodes must live inside /passthrough") }
        }
        bus.forEachNode { node in
            for p in node.properties {
                if p.name == "interrupt-parent" {
                    if let v = p.u32, v != PartialBuilder.guestGICPhandle, inside[v] == nil {
                        problem(5, node, p.name, "phandle 0x\(String(v, radix: 16)) resolves to nothing in the partial tree")
                    }
                    continue
                }
                guard let layout = PhandleProperties.layout(of: p, phandles: inside) ?? (PhandleProperties.specifierProperties[p.name] != nil ? .specifiers(cellsProperty: "") : nil) else { continue }
                do {
                    for r in try PhandleProperties.references(p, layout: layout, of: node, phandles: inside) where r.target == nil {
                        problem(5, node, p.name, "phandle 0x\(String(r.phandle, radix: 16)) resolves to nothing inside /passthrough")
                    }
                } catch {
                    problem(5, node, p.name, "\(error)")
                }
            }
        }

        var allGuest: [(UInt64, UInt64, String)] = []
        for device in bus.children {
            let xenReg = device.property("xen,reg")
            let xenPath = device.property("xen,path")
            let force = device.hasProperty("xen,force-assign-without-iommu")
            // Rule 9: the valid combinations; dependency nodes carry no xen,reg.
            if xenReg == nil {
                if xenPath != nil { problem(9, device, "xen,path", "present without xen,reg (\"xen,reg or xen,path missing\")") }
                if force { problem(9, device, "xen,force-assign-without-iommu", "present without xen,reg") }
            } else {
                if device.hasProperty("#clock-cells") || device.compatibles.contains("fixed-clock") {
                    problem(9, device, "xen,reg", "a dependency node (clock) must not carry xen,reg")
                }
                if xenPath == nil && !force { problem(9, device, "xen,reg", "present without xen,path or xen,force-assign-without-iommu (\"xen,reg or xen,path missing\")") }
            }
            // Rule 7 (+ host).
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
            // Rule 10 (needs the host): a device without iommus needs force-assign.
            if let hostNode, !hostNode.hasProperty("iommus"), !force {
                problem(10, device, "xen,force-assign-without-iommu", "missing, and \(hostNode.path) is not behind an IOMMU (\"Failed to assign device\")")
            }
            // Rules 4 and 8: xen,reg records and alignment.
            var ranges: [(host: UInt64, size: UInt64, guest: UInt64)] = []
            if let xenReg {
                let per = na + ns + na
                if let cells = xenReg.cells, per > 0, cells.count % per == 0, cells.count > 0, (1...2).contains(na), (1...2).contains(ns) {
                    func num(_ s: ArraySlice<UInt32>) -> UInt64 { s.reduce(0) { $0 << 32 | UInt64($1) } }
                    var i = 0
                    while i < cells.count {
                        let h = num(cells[i..<(i + na)]), s = num(cells[(i + na)..<(i + na + ns)]), g = num(cells[(i + na + ns)..<(i + per)])
                        ranges.append((h, s, g))
                        if h % xenPageSize != 0 || s % xenPageSize != 0 || g % xenPageSize != 0 || s == 0 {
                            problem(8, device, "xen,reg", "<\(hex(h)) \(hex(s)) \(hex(g))> is not 4 KiB aligned (\"DomU passthrough config has not page aligned addresses/sizes\")")
                        }
                        i += per
                    }
                } else {
                    problem(4, device, "xen,reg", "\(xenReg.value.count) bytes is not a non-empty list of <host size guest> records of \(na)+\(ns)+\(na) cells")
                }
            }
            // Rule 11: reg = guest CPU addresses inside the xen,reg guest ranges (and, with the host, at the same offsets).
            if !ranges.isEmpty {
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
                // With the host: xen,reg host ranges are exactly the page-aligned translated host reg.
                if let hostRegions {
                    let expected = AddressPlanner.pageRanges(hostRegions)
                    let actual = ranges.map { ($0.host, $0.host &+ $0.size) }.sorted { $0.0 < $1.0 }
                    if expected.count != actual.count || zip(expected, actual).contains(where: { $0.0 != $1.0 || $0.1 != $1.1 }) {
                        problem(7, device, "xen,reg", "host ranges \(actual.map { "\(hex($0.0))-\(hex($0.1))" }) do not match \(hostNode?.path ?? "")'s translated reg \(expected.map { "\(hex($0.0))-\(hex($0.1))" })")
                    }
                }
            }
            for r in ranges {
                // Rules 17 and 18.
                if let c = GuestMemoryMap.conflict(r.guest, r.size) {
                    let rule = c.base >= GuestMemoryMap.ramBase ? 18 : 17
                    problem(rule, device, "xen,reg", "guest range \(hex(r.guest)) +\(hex(r.size)) overlaps \(c.name)")
                }
                allGuest.append((r.guest, r.size, device.path))
            }
        }
        // Rules 12-14 on every node under /passthrough.
        bus.forEachNode { node in
            guard node !== bus else { return }
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
            var i = 0
            while i < cells.count {
                switch cells[i] {
                case 0:
                    if cells[i + 1] == 0 { problem(19, node, "interrupts", "SPI 0 (INTID 32) collides with vpl011's interrupt") }
                    if cells[i + 1] >= 988 { problem(13, node, "interrupts", "SPI \(cells[i + 1]) is beyond the GIC's SPI range") }
                case 1: problem(13, node, "interrupts", "PPI \(cells[i + 1]) (\"IRQ can only be routed to an SPI\")")
                default: problem(13, node, "interrupts", "type \(cells[i]) is not an SPI (0)")
                }
                i += 3
            }
        }
        // Rule 19: no two guest ranges overlap.
        let sorted = allGuest.sorted { $0.0 < $1.0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.0 < a.0 &+ a.1 {
            problems.append("rule 19: guest ranges of \(a.2) (\(hex(a.0)) +\(hex(a.1))) and \(b.2) (\(hex(b.0))) overlap")
        }
        return problems
    }
}
