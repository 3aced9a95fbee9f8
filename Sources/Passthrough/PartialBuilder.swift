import DeviceTree

/// Builds the nodes of the partial tree from host nodes: keeps what a guest driver needs, rewrites `reg`,
/// interrupts and clocks, drops host plumbing (rule 15) and records each dropped reference, and renumbers the
/// phandles that stay (rule 5).
final class PartialBuilder {
    let phandles: [UInt32: Node]
    let normaliser: InterruptNormaliser
    let clocks: ClockFreezer
    /// Host node -> its copy in the partial tree (passed devices and their descendants).
    private var copies: [ObjectIdentifier: Node] = [:]
    /// Frozen clocks by provider and specifier, in creation order.
    private(set) var clockNodes: [Node] = []
    private var clockKeys: [String: UInt32] = [:]
    private var nextPhandle: UInt32 = 1
    private var assigned: [ObjectIdentifier: UInt32] = [:]
    private(set) var warnings: [String] = []
    private(set) var dropped: [DroppedReference] = []
    /// Phandles at and above this value are Xen's (GUEST_PHANDLE_GIC = 65000).
    static let phandleLimit: UInt32 = 65000
    static let guestGICPhandle: UInt32 = 0xfde8

    init(phandles: [UInt32: Node], normaliser: InterruptNormaliser) {
        self.phandles = phandles
        self.normaliser = normaliser
        self.clocks = ClockFreezer(phandles: phandles)
    }

    /// Creates the (empty) copy of `host` and its subtree, so references between passed nodes can be resolved.
    func register(_ host: Node, name: String) -> Node {
        let copy = Node(name: name)
        copies[ObjectIdentifier(host)] = copy
        for child in host.children {
            let c = register(child, name: child.name)
            try? copy.addChild(c)
        }
        return copy
    }

    /// Fills the properties of every registered copy under `host`. `top` carries the device's own rewritten
    /// `reg` (2/2 cells) and the Xen properties; descendants keep their `reg`.
    func fill(_ host: Node, top: (reg: [UInt32], xen: [Property])?) throws {
        guard let copy = copies[ObjectIdentifier(host)] else { return }
        var props: [Property] = []
        var droppedNames = Set<String>()
        var interrupts: InterruptNormaliser.Result?
        var hasStatus = false
        for p in host.properties {
            switch p.name {
            case "phandle", "linux,phandle", "interrupt-parent", "xen,passthrough", "xen,reg", "xen,path",
                 "xen,force-assign-without-iommu", "assigned-clock-rates":
                continue
            case "status":
                hasStatus = true
                props.append(Property(name: "status", .string("okay")))
            case "reg":
                props.append(top.map { Property(name: "reg", .u32($0.reg)) } ?? p)
            case "interrupts", "interrupts-extended":
                guard interrupts == nil else { continue }
                let n = try normaliser.normalise(host)
                interrupts = n
                props += guestInterrupts(n, of: host, property: p.name)
            case "interrupt-names":
                props.append(p) // removed below when interrupts were dropped
            case "clocks":
                props.append(try freezeClocks(p, of: host))
            default:
                if let kept = try rewritingPhandles(p, of: host) { props.append(kept) } else { droppedNames.insert(p.name) }
            }
        }
        // Names lists that lost their property go too; pinctrl-names once no pinctrl state is left.
        var removeNames = Set(droppedNames.compactMap(PhandleProperties.namesProperty(for:)))
        if !props.contains(where: { PhandleProperties.isPinctrlState($0.name) }) { removeNames.insert("pinctrl-names") }
        if let interrupts, !interrupts.dropped.isEmpty { removeNames.insert("interrupt-names") }
        props.removeAll { removeNames.contains($0.name) }
        if let top {
            if !hasStatus { props.append(Property(name: "status", .string("okay"))) }
            props += top.xen
        }
        for p in props { copy.setProperty(p) }
        for child in host.children { try fill(child, top: nil) }
    }

    /// The node's interrupts on the guest GIC (interrupt-parent + 3-cell SPIs); those not on the primary GIC are
    /// dropped with a warning.
    private func guestInterrupts(_ n: InterruptNormaliser.Result, of host: Node, property: String) -> [Property] {
        for d in n.dropped {
            warnings.append("\(host.path): interrupt \(d) is not on the primary GIC; Xen does not map it, dropped")
        }
        if !n.dropped.isEmpty {
            dropped.append(DroppedReference(node: host.path, property: property, targets: n.dropped, reason: "interrupt not on the primary GIC"))
        }
        guard !n.cells.isEmpty else { return [] }
        return [Property(name: "interrupt-parent", .u32([Self.guestGICPhandle])), Property(name: "interrupts", .u32(n.cells))]
    }

    /// A property as copied: unchanged without phandles; with its phandles renumbered when every target is copied
    /// too; nil (dropped, and recorded) when a target stays on the host, and always for `iommus`.
    private func rewritingPhandles(_ p: Property, of host: Node) throws -> Property? {
        guard let layout = PhandleProperties.layout(of: p, phandles: phandles) else { return p }
        let refs = try PhandleProperties.references(p, layout: layout, of: host, phandles: phandles)
        let allCopied = !refs.isEmpty && refs.allSatisfy { r in r.target.map { copies[ObjectIdentifier($0)] != nil } ?? false }
        if allCopied, p.name != "iommus", let cells = p.cells {
            var out = cells
            for r in refs {
                if let t = r.target, let c = copies[ObjectIdentifier(t)] { out[r.index] = phandle(for: c, host: t) }
            }
            return Property(name: p.name, .u32(out))
        }
        let targets = refs.map { $0.target?.path ?? "<0x\(String($0.phandle, radix: 16))>" }
        let reason = p.name == "iommus" ? "no IOMMU in the guest (Xen assigns the device)" : "host plumbing not passed to the guest"
        dropped.append(DroppedReference(node: host.path, property: p.name, targets: targets, reason: reason))
        return nil
    }

    /// Sets the `phandle` property on every copied node that got one (called once all properties are filled).
    func finishPhandles() {
        for (id, ph) in assigned {
            if let copy = copies[id] { copy.setProperty("phandle", .u32([ph])) }
        }
    }

    /// The partial-tree phandle of `copy`, assigned on first use.
    private func phandle(for copy: Node, host: Node) -> UInt32 {
        let id = ObjectIdentifier(host)
        if let ph = assigned[id] { return ph }
        let ph = nextPhandle
        nextPhandle += 1
        assigned[id] = ph
        return ph
    }

    private func freezeClocks(_ p: Property, of host: Node) throws -> Property {
        let refs = try PhandleProperties.references(p, layout: .specifiers(cellsProperty: "#clock-cells"), of: host, phandles: phandles)
        var out: [UInt32] = []
        for (i, r) in refs.enumerated() {
            guard let provider = r.target else {
                throw PassthroughError.badProperty(path: host.path, property: "clocks",
                                                   expected: "phandle 0x\(String(r.phandle, radix: 16)) (clock \(i)) to match a node")
            }
            let key = provider.path + "|" + r.specifier.map(String.init).joined(separator: ",")
            if let ph = clockKeys[key] { out.append(ph); continue }
            let rate = clocks.rate(provider: provider, specifier: r.specifier, device: host)
            let hz = rate?.hz ?? 0
            if let rate, !rate.exact {
                warnings.append("\(host.path): clock \(i) (\(provider.path) \(r.specifier)) has no fixed rate in the tree; frozen at \(hz) Hz from \(rate.source); check it")
            } else if rate == nil {
                warnings.append("\(host.path): clock \(i) (\(provider.path) \(r.specifier)): no rate found in the tree; frozen at 0 Hz, set clock-frequency by hand")
            }
            let node = Node(name: uniqueClockName(provider: provider, specifier: r.specifier))
            node.setProperty("compatible", .string("fixed-clock"))
            node.setProperty("#clock-cells", .u32([0]))
            node.setProperty("clock-frequency", hz <= UInt64(UInt32.max) ? .u32([UInt32(hz)]) : .u64([hz]))
            let ph = nextPhandle
            nextPhandle += 1
            node.setProperty("phandle", .u32([ph]))
            clockNodes.append(node)
            clockKeys[key] = ph
            out.append(ph)
            if provider.compatibles != ["fixed-clock"] {
                dropped.append(DroppedReference(node: host.path, property: "clocks", targets: [provider.path],
                                                reason: "clock frozen into fixed-clock \(node.name) at \(hz) Hz"))
            }
        }
        return Property(name: "clocks", .u32(out))
    }

    private func uniqueClockName(provider: Node, specifier: [UInt32]) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-")
        var base = String(provider.baseName.filter { allowed.contains($0) })
        if base.isEmpty { base = "clock" }
        if !specifier.isEmpty { base += "-" + specifier.map(String.init).joined(separator: "-") }
        var name = base
        var n = 1
        while clockNodes.contains(where: { $0.name == name }) { n += 1; name = "\(base)-\(n)" }
        return name
    }

    var phandlesUsed: UInt32 { nextPhandle - 1 }
}
