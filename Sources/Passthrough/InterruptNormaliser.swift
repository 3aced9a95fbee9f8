import DeviceTree
import XenArm

/// Interrupts rewritten for a guest (rules 13-14): every specifier that reaches the primary GIC becomes the 3-cell
/// `<0 SPI flags>` form (4-cell GICv3 forms are cut to 3), PPIs and unroutable INTIDs are refused, and interrupts
/// that reach another controller are not mapped (dropped with a warning).
struct InterruptNormaliser {
    let host: DeviceTree
    /// The GIC Xen drives; nil means "any GIC".
    let primaryGIC: Node?

    struct Result {
        /// `<0 n flags>` triples.
        var cells: [UInt32] = []
        /// INTIDs of the SPIs kept.
        var spis: [UInt32] = []
        /// Specifiers not mapped, described for warnings.
        var dropped: [String] = []
    }

    func normalise(_ node: Node) throws -> Result {
        var result = Result()
        let specs: [InterruptSpecifier]
        do { specs = try host.interrupts(of: node) } catch { throw PassthroughError.from(error, node: node, property: "interrupts") }
        for spec in specs {
            let onPrimary = GICInterrupt.isGIC(spec.controller) && (primaryGIC == nil || spec.controller === primaryGIC)
            if onPrimary, GICInterrupt(spec) == nil, spec.cells.count >= 2 {
                throw PassthroughError.unroutableInterrupt(path: node.path, intid: spec.cells[1],
                                                           reason: "<\(spec.cells.map { "0x" + String($0, radix: 16) }.joined(separator: " "))> is not a GIC interrupt specifier (type 0-3, INTID within 32 bits)")
            }
            guard onPrimary, let gic = GICInterrupt(spec) else {
                result.dropped.append("<\(spec.cells.map { "0x" + String($0, radix: 16) }.joined(separator: " "))> of \(spec.controller.path)")
                continue
            }
            switch gic.kind {
            case .ppi, .extendedPPI:
                throw PassthroughError.ppi(path: node.path, intid: gic.intid)
            case .extendedSPI:
                throw PassthroughError.unroutableInterrupt(path: node.path, intid: gic.intid, reason: "extended SPIs are not supported by Xen 4.17")
            case .spi:
                if gic.intid == GuestMemoryMap.vpl011INTID {
                    throw PassthroughError.unroutableInterrupt(path: node.path, intid: gic.intid, reason: "SPI 0 (INTID 32) is vpl011's interrupt in every guest")
                }
                if gic.intid >= 1020 {
                    throw PassthroughError.unroutableInterrupt(path: node.path, intid: gic.intid, reason: "beyond the GIC's SPI range")
                }
                result.cells += [0, gic.number, spec.cells[2]]
                result.spis.append(gic.intid)
            }
        }
        return result
    }
}
