import DeviceTree

/// Finds the `KnownMechanisms` entries a device tree describes: the first enabled node of the entry's compatible
/// (and, for SMP, the CPUs' enable-method), with addresses translated to physical ones.
public enum MechanismMatch {
    /// A recognised mechanism: the spec value plus a line naming it and the source of its register facts.
    public struct Match<Value> {
        public let value: Value
        public let description: String
    }

    /// Physical base of the first enabled node with `compatible` (its first `reg` region).
    static func base(of compatible: String, in tree: DeviceTree) -> (path: String, address: UInt64)? {
        for node in tree.nodes(compatibleWith: compatible) where node.isEnabled {
            if let region = try? tree.physicalRegions(of: node).first { return (node.path, region.address) }
        }
        return nil
    }

    /// The CPUs' enable-methods: each CPU node's own, else the one on `/cpus` (the AST2600 puts it there).
    static func enableMethods(in tree: DeviceTree) -> Set<String> {
        guard let cpus = tree.node(at: "/cpus") else { return [] }
        let shared = cpus.property("enable-method")?.strings?.first
        var methods = Set<String>()
        for cpu in cpus.children where cpu.property("device_type")?.strings?.first == "cpu" {
            if let m = cpu.property("enable-method")?.strings?.first ?? shared { methods.insert(m) }
        }
        return methods
    }

    public static func smp(in tree: DeviceTree) -> Match<PlatformSpec.SMP>? {
        let methods = enableMethods(in: tree)
        for m in KnownMechanisms.smp {
            if let needed = m.enableMethod, !methods.contains(needed) { continue }
            guard let (path, base) = base(of: m.compatible, in: tree) else { continue }
            let value: PlatformSpec.SMP
            switch m.kind {
            case .mailbox(let set, let clear, let wake):
                guard let s = add(base, set) else { continue }
                var c: UInt64?
                if let clear { guard let sum = add(base, clear) else { continue }; c = sum }
                value = .mailbox(set: s, clear: c, wake: wake)
            case .bootPen(let entry, let signal, let go, let park):
                guard let e = add(base, entry), let s = add(base, signal) else { continue }
                value = .bootPen(entry: e, signal: s, goSignal: go, parkSignal: park)
            }
            return Match(value: value, description: "secondary CPUs: \(m.name) at \(path) (\(m.source))")
        }
        return nil
    }

    public static func reset(in tree: DeviceTree) -> Match<[PlatformSpec.RegisterWrite]>? {
        for r in KnownMechanisms.reset {
            guard let (path, base) = base(of: r.compatible, in: tree) else { continue }
            var writes: [PlatformSpec.RegisterWrite] = []
            for w in r.writes {
                guard let a = add(base, w.offset) else { return nil }
                writes.append(.init(address: a, value: w.value))
            }
            return Match(value: writes, description: "reset: \(r.name) at \(path) (\(r.source))")
        }
        return nil
    }

    /// The SoC's power-off facts, matched on the root compatible.
    public static func powerOff(in tree: DeviceTree) -> KnownMechanisms.PowerOff? {
        let root = tree.root.compatibles
        return KnownMechanisms.powerOff.first { root.contains($0.socCompatible) }
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }
}
