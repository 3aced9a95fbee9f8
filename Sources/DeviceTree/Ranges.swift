/// `ranges`: how a bus maps its children's addresses into its parent's space, and translation of bus
/// addresses to CPU physical addresses (the algorithm of Linux's `of_translate_address` / Xen's
/// `dt_translate_address`).
public struct RangeEntry: Equatable, Sendable {
    public let childAddress: CellNumber
    public let parentAddress: CellNumber
    public let size: CellNumber
}

public enum BusRanges: Equatable, Sendable {
    /// No `ranges` property: the children's addresses are not visible in the parent's space.
    case untranslated
    /// Empty `ranges`: identity mapping.
    case identity
    case windows([RangeEntry])
}

extension Node {
    /// PCI buses compare the space code in the first address cell, not the whole cell (Linux `of_bus_pci_map`).
    var isPCIBus: Bool { property("device_type")?.string == "pci" }

    /// This bus node's `ranges`, decoded with its own `#address-cells`/`#size-cells` (child side) and its
    /// parent's `#address-cells` (parent side).
    public func ranges() throws -> BusRanges {
        guard let p = property("ranges") else { return .untranslated }
        if p.value.isEmpty { return .identity }
        let na = childAddressCells, ns = childSizeCells
        let pna = (parent ?? self).childAddressCells
        guard (1...4).contains(na), (1...4).contains(pna), (0...4).contains(ns) else {
            throw DeviceTreeError(self, property: "ranges", "unusable cell counts child=\(na) parent=\(pna) size=\(ns)")
        }
        return .windows(try p.records([na, pna, ns], in: self).map {
            RangeEntry(childAddress: $0[0], parentAddress: $0[1], size: $0[2])
        })
    }
}

extension DeviceTree {
    /// Translates `address`, expressed in the address space `node`'s `reg` uses (its parent bus), to a CPU
    /// physical address by applying every `ranges` on the way to the root.
    ///
    /// `cache` keeps each bus's parsed `ranges` for scans that translate every node of a tree.
    public func translateToCPU(_ address: CellNumber, onBusOf node: Node, cache: RangesCache? = nil) throws -> UInt64 {
        try translateToCPU(BusAddress(address), onBusOf: node, cache: cache)
    }

    func translateToCPU(_ address: BusAddress, onBusOf node: Node, cache: RangesCache?) throws -> UInt64 {
        var addr = address
        if let cache {
            let chain = cache.chain(above: node)
            for step in chain.steps { addr = try step.translation.map(addr, bus: step.bus, parentAddressCells: step.parentAddressCells, of: node) }
            if let failure = chain.failure { throw failure }
        } else {
            var bus = node.parent
            while let b = bus, let up = b.parent {
                let pna = up.childAddressCells
                try BusStep.checkAddressCells(pna, of: up)
                addr = try BusTranslation(b).map(addr, bus: b, parentAddressCells: pna, of: node)
                bus = up
            }
        }
        guard let value = addr.uint64 else {
            throw DeviceTreeError(node, property: "reg", "CPU address \(addr.cellNumber) does not fit in 64 bits")
        }
        return value
    }
}

extension BusTranslation {
    /// One step up: `addr` on this bus (`bus`) to its parent's address space (`parentAddressCells` cells);
    /// `node` is the device whose address it is (for messages).
    func map(_ addr: BusAddress, bus b: Node, parentAddressCells pna: Int, of node: Node) throws -> BusAddress {
        switch self {
        case .untranslated:
            throw DeviceTreeError(b, property: "ranges",
                                  "missing, so address \(addr.cellNumber) of \(node.path) has no CPU address")
        case .identity:
            return BusAddress(high: [UInt32](repeating: 0, count: max(0, pna - 2)), low: addr.low, count: pna)
        case .windows(let windows, let pci):
            guard let hit = windows.first(where: { $0.contains(addr, pci: pci) }) else {
                throw DeviceTreeError(b, property: "ranges",
                                      "no window contains address \(addr.cellNumber) of \(node.path)")
            }
            let (mapped, wrapped) = hit.parentLow.addingReportingOverflow(addr.low &- hit.start)
            guard !wrapped else {
                throw DeviceTreeError(b, property: "ranges", "address \(addr.cellNumber) of \(node.path) translates past 2^64")
            }
            return BusAddress(high: hit.parentHigh, low: mapped, count: pna)
        }
    }
}

/// One bus on the way to the root, ready for translation: its `ranges` and its parent's `#address-cells`.
struct BusStep {
    let bus: Node
    let parentAddressCells: Int
    let translation: BusTranslation

    /// Checked before any cell array is sized from it (#address-cells = 0x10000000 once took 2.8 GB).
    static func checkAddressCells(_ pna: Int, of up: Node) throws {
        guard (1...4).contains(pna) else {
            throw DeviceTreeError(up, property: "#address-cells", "\(pna) is not a usable address cell count (1 to 4)")
        }
    }
}

/// The buses between a node and the root (`steps`, nearest first), up to the first one whose cell count or
/// `ranges` is unusable (`failure`, thrown after the steps below it translated the address, as the walk would).
struct BusChain {
    let steps: [BusStep]
    let failure: Error?
}

/// Each bus's `ranges` prepared for translation, for one scan over one tree (the nodes must stay unedited while
/// it is used).
public final class RangesCache {
    private var entries: [ObjectIdentifier: BusTranslation] = [:]
    private var cellCounts: [ObjectIdentifier: (address: Int, size: Int)] = [:]
    private var chains: [ObjectIdentifier: BusChain] = [:]
    private var cpuAddressable: [ObjectIdentifier: Bool] = [:]
    /// The last bus asked about (a scan in pre-order asks about the same parent for sibling after sibling), with
    /// its answers: a hit skips the dictionaries.
    private var lastBus: Node?
    private var lastChain: BusChain?
    private var lastAddressable: Bool?
    private var lastCells: (address: Int, size: Int)?

    public init() {}

    func translation(of bus: Node) throws -> BusTranslation {
        if let hit = entries[ObjectIdentifier(bus)] { return hit }
        let t = try BusTranslation(bus)
        entries[ObjectIdentifier(bus)] = t
        return t
    }

    /// The chain of buses above `node` (shared by its siblings: one lookup per translation instead of two per
    /// bus).
    func chain(above node: Node) -> BusChain {
        guard let parent = node.parent else { return BusChain(steps: [], failure: nil) }
        if parent === lastBus, let hit = lastChain { return hit }
        let hit = chainOf(parent)
        remember(parent)
        lastChain = hit
        return hit
    }

    private func chainOf(_ parent: Node) -> BusChain {
        if let hit = chains[ObjectIdentifier(parent)] { return hit }
        var steps: [BusStep] = []
        var failure: Error?
        var bus: Node? = parent
        while let b = bus, let up = b.parent {
            let pna = cells(of: up).address
            do {
                try BusStep.checkAddressCells(pna, of: up)
                steps.append(BusStep(bus: b, parentAddressCells: pna, translation: try translation(of: b)))
            } catch {
                failure = error
                break
            }
            bus = up
        }
        let chain = BusChain(steps: steps, failure: failure)
        chains[ObjectIdentifier(parent)] = chain
        return chain
    }

    /// Whether the children of `bus` can have CPU addresses (computed by `compute` on the first question).
    func addressable(_ bus: Node, _ compute: () -> Bool) -> Bool {
        if bus === lastBus, let hit = lastAddressable { return hit }
        let v: Bool
        if let hit = cpuAddressable[ObjectIdentifier(bus)] {
            v = hit
        } else {
            v = compute()
            cpuAddressable[ObjectIdentifier(bus)] = v
        }
        remember(bus)
        lastAddressable = v
        return v
    }

    /// Makes `bus` the last bus asked about (its memoised answers reset when it changes).
    private func remember(_ bus: Node) {
        guard bus !== lastBus else { return }
        lastBus = bus
        lastChain = nil
        lastAddressable = nil
        lastCells = nil
    }

    /// `childAddressCells` / `childSizeCells` of `bus` (inherited from ancestors, so worth keeping per bus).
    func cells(of bus: Node) -> (address: Int, size: Int) {
        if let hit = cellCounts[ObjectIdentifier(bus)] { return hit }
        let c = (bus.childAddressCells, bus.childSizeCells)
        cellCounts[ObjectIdentifier(bus)] = c
        return c
    }

    /// `cells(of: bus)` for the cell counts of a node's `reg` (asked with the node's parent, sibling after sibling).
    func regCells(onBus bus: Node) -> (address: Int, size: Int) {
        if bus === lastBus, let hit = lastCells { return hit }
        let c = cells(of: bus)
        remember(bus)
        lastCells = c
        return c
    }
}
