/// The working form of address translation (`translateToCPU`): addresses and `ranges` windows as 64-bit numbers
/// plus the cells above them, so a step up a bus costs a comparison and an addition instead of new cell arrays.
/// Scans translate the `reg` of every node of a tree (the console-page check), so this is on the hot path.

/// An address on a bus: `count` cells, the last two (or one) of them as `low`, the ones above in `high`.
struct BusAddress: Equatable {
    var high: [UInt32]
    var low: UInt64
    var count: Int

    /// `count` cells: `high` above, then `low` truncated to the remaining one or two cells.
    init(high: [UInt32], low: UInt64, count: Int) {
        self.high = high
        self.low = count == 1 ? low & 0xffff_ffff : low
        self.count = count
    }

    init(_ n: CellNumber) {
        high = Array(n.high)
        low = n.low64
        count = n.cells.count
    }

    /// The same cells as a `CellNumber` (for messages).
    var cellNumber: CellNumber {
        let lowCells = min(2, count - high.count)
        return CellNumber(high + (lowCells == 2 ? [UInt32(truncatingIfNeeded: low >> 32), UInt32(truncatingIfNeeded: low)]
                                                : lowCells == 1 ? [UInt32(truncatingIfNeeded: low)] : []))
    }

    /// The first cell (a PCI address's space code).
    var first: UInt32 {
        if let h = high.first { return h }
        return count >= 2 ? UInt32(truncatingIfNeeded: low >> 32) : UInt32(truncatingIfNeeded: low)
    }

    /// The value when it fits in 64 bits.
    var uint64: UInt64? { high.allSatisfy { $0 == 0 } ? low : nil }
}

/// One `ranges` entry ready for translation.
struct BusWindow {
    let childCount: Int
    let childHigh: [UInt32]
    let childFirst: UInt32
    let start: UInt64
    let size: UInt64
    let parentHigh: [UInt32]
    let parentLow: UInt64

    init(_ e: RangeEntry) {
        childCount = e.childAddress.cells.count
        childHigh = Array(e.childAddress.high)
        childFirst = e.childAddress.cells.first ?? 0
        start = e.childAddress.low64
        size = e.size.low64
        parentHigh = Array(e.parentAddress.high)
        parentLow = e.parentAddress.low64
    }

    func contains(_ a: BusAddress, pci: Bool) -> Bool {
        guard childCount == a.count else { return false }
        if pci {
            // Match the space code (config/IO/mem32/mem64), ignore the other flag bits.
            guard (a.first ^ childFirst) & 0x0300_0000 == 0 else { return false }
        } else if childHigh != a.high {
            return false
        }
        return a.low >= start && a.low &- start < size
    }
}

/// A bus's `ranges` (`Node.ranges()`) ready for translation.
enum BusTranslation {
    case untranslated
    case identity
    /// PCI buses compare the space code in the first address cell, not the whole cell (Linux `of_bus_pci_map`).
    case windows([BusWindow], pci: Bool)

    init(_ bus: Node) throws {
        switch try bus.ranges() {
        case .untranslated: self = .untranslated
        case .identity: self = .identity
        case .windows(let entries): self = .windows(entries.map(BusWindow.init), pci: bus.isPCIBus)
        }
    }
}
