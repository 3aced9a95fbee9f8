import DeviceTree

/// How a recognised mechanism starts the secondary CPUs, with physical addresses (what generated `cpu_up` writes).
public enum SecondaryStart: Equatable, Sendable {
    /// Entry point into `set` (after ~0 into `clear`), then wake.
    case mailbox(set: UInt64, clear: UInt64?, wake: SecondaryWake)
    /// A boot-ROM pen: entry point into `entry`, `goSignal | (MPIDR & 0xff)` into `signal`, then `sev`.
    case bootPen(entry: UInt64, signal: UInt64, goSignal: UInt32, parkSignal: UInt32?)
    /// Power the core up through its power controller, then the boot-ROM handoff writes and the wake.
    case powered(PoweredStart)

    /// For people and JSON: what generated code does, e.g. "generated boot pen".
    public var generatedName: String {
        switch self {
        case .mailbox: return "generated mailbox"
        case .bootPen: return "generated boot pen"
        case .powered: return "generated power-up"
        }
    }

    /// The registers the generated code writes (reports): mailbox, pen, or power control then handoff registers.
    public var registers: [UInt64] {
        switch self {
        case .mailbox(let set, let clear, _): return (clear.map { [$0] } ?? []) + [set]
        case .bootPen(let entry, let signal, _, _): return [entry, signal]
        case .powered(let p): return [p.powerControl] + p.writes.map(\.address)
        }
    }
}

/// A 32-bit write to a physical register (reset sequences).
public struct PhysicalWrite: Equatable, Sendable {
    public let address: UInt64
    public let value: UInt32
    public init(address: UInt64, value: UInt32) { self.address = address; self.value = value }
}

/// A catalog entry found in a tree: the typed value, the node it was found at, and where the facts come from.
public struct RecognisedMechanism<Value: Equatable & Sendable>: Equatable, Sendable {
    public let value: Value
    /// The catalog entry's name, e.g. "AST2600 boot-ROM pen (SCU smp-memram)".
    public let name: String
    public let nodePath: String
    public let source: String

    /// One line for people: name, node and the source of the register facts.
    public var description: String { "\(name) at \(nodePath) (\(source))" }
}

/// The mechanisms one tree describes (nil: none recognised).
public struct RecognisedMechanisms: Equatable, Sendable {
    public let smp: RecognisedMechanism<SecondaryStart>?
    public let reset: RecognisedMechanism<[PhysicalWrite]>?
    /// The SoC's power-off facts (an entry without writes: the hardware has no mechanism).
    public let powerOff: KnownMechanisms.PowerOff?

    public init(tree: DeviceTree) {
        smp = MechanismMatch.smp(in: tree)
        reset = MechanismMatch.reset(in: tree)
        powerOff = MechanismMatch.powerOff(in: tree)
    }
}

/// Finds the `KnownMechanisms` entries a device tree describes: the first enabled node of the entry's compatible
/// (and, for SMP, the CPUs' enable-method), with addresses translated to physical ones.
public enum MechanismMatch {
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

    public static func smp(in tree: DeviceTree) -> RecognisedMechanism<SecondaryStart>? {
        let methods = enableMethods(in: tree)
        let root = tree.root.compatibles
        for m in KnownMechanisms.smp {
            if let needed = m.enableMethod, !methods.contains(needed) { continue }
            if !m.socCompatibles.isEmpty && !m.socCompatibles.contains(where: root.contains) { continue }
            if !m.conditions.allSatisfy({ holds($0, in: tree) }) { continue }
            guard let (path, base) = base(of: m.compatible, in: tree), let value = start(m.kind, base: base, in: tree) else { continue }
            return RecognisedMechanism(value: value, name: m.name, nodePath: path, source: m.source)
        }
        return nil
    }

    /// The physical form of an entry's kind at `base` (nil: an address overflows or the power controller is missing).
    static func start(_ kind: KnownMechanisms.SMPKind, base: UInt64, in tree: DeviceTree) -> SecondaryStart? {
        switch kind {
        case .mailbox(let set, let clear, let wake):
            guard let s = add(base, set) else { return nil }
            var c: UInt64?
            if let clear { guard let sum = add(base, clear) else { return nil }; c = sum }
            return .mailbox(set: s, clear: c, wake: wake)
        case .bootPen(let entry, let signal, let go, let park):
            guard let e = add(base, entry), let s = add(base, signal) else { return nil }
            return .bootPen(entry: e, signal: s, goSignal: go, parkSignal: park)
        case .powered(let power, let handoff):
            guard let (_, pmu) = self.base(of: power.compatible, in: tree),
                  let control = add(pmu, power.controlOffset), let status = add(pmu, power.statusOffset) else { return nil }
            var writes: [PoweredStart.Write] = []
            for w in handoff.writes {
                guard let a = add(base, w.offset) else { return nil }
                writes.append(.init(address: a, value: w.value))
            }
            return .powered(PoweredStart(powerControl: control, powerStatus: status, layout: power.layout, coresPerCluster: power.coresPerCluster,
                                         cores: power.cores, writes: writes, perCore: handoff.perCore,
                                         settleMilliseconds: handoff.settleMilliseconds, firmwareCall: handoff.firmwareCall, wake: handoff.wake))
        }
    }

    /// A node condition: some enabled node with the compatible exists (present) or none does (absent).
    static func holds(_ c: NodeCondition, in tree: DeviceTree) -> Bool {
        tree.nodes(compatibleWith: c.compatible).contains { $0.isEnabled } == c.present
    }

    public static func reset(in tree: DeviceTree) -> RecognisedMechanism<[PhysicalWrite]>? {
        for r in KnownMechanisms.reset {
            guard let (path, base) = base(of: r.compatible, in: tree) else { continue }
            var writes: [PhysicalWrite] = []
            for w in r.writes {
                guard let a = add(base, w.offset) else { return nil }
                writes.append(.init(address: a, value: w.value))
            }
            return RecognisedMechanism(value: writes, name: r.name, nodePath: path, source: r.source)
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
