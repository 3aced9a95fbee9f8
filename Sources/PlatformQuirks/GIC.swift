import DeviceTree
import XenArm

/// The interrupt controller as Xen's `gic_preinit` finds and checks it (catalog §5.4).
public struct GICAnalysis {
    public struct Region: Equatable {
        public let name: String
        public let address: UInt64
        public let size: UInt64
    }

    public let version: Int?
    public let path: String?
    public let compatible: [String]
    public let regions: [Region]
    public let maintenanceIRQ: UInt32?
    public let findings: [Finding]

    public static let v2Compatibles = ["arm,cortex-a15-gic", "arm,cortex-a7-gic", "arm,gic-400"]
    public static let v3Compatibles = ["arm,gic-v3"]

    public static func analyze(_ tree: DeviceTree, arch: Architecture) -> GICAnalysis {
        let (found, otherControllers) = find(tree)
        guard let (node, version) = found else {
            let detail = otherControllers.first.map {
                "\($0.path) (\($0.compatibles.first ?? "")) is not a GIC Xen 4.17 drives (it needs \((v2Compatibles + v3Compatibles).joined(separator: ", ")))"
            } ?? "no interrupt controller Xen 4.17 drives"
            return GICAnalysis(version: nil, path: otherControllers.first?.path, compatible: otherControllers.first?.compatibles ?? [],
                               regions: [], maintenanceIRQ: nil, findings: [.blocker(.gicUnsupported, detail)])
        }
        var findings: [Finding] = []
        var phys: [PhysicalRegion] = []
        do { phys = try tree.physicalRegions(of: node) } catch {
            findings.append(.blocker(.gicReg, "\(node.path): \(error)"))
        }
        let maintenance = (try? tree.interrupts(of: node).first).flatMap { GICInterrupt($0) }.map(\.intid)
        if maintenance == nil {
            findings.append(.blocker(.gicNoMaintenanceIRQ, "\(node.path) has no maintenance interrupt (interrupts[0]): Xen panics"))
        }
        let regions = version == 2 ? v2Regions(node, phys, findings: &findings) : v3Regions(node, phys, arch: arch, findings: &findings)
        return GICAnalysis(version: version, path: node.path, compatible: node.compatibles, regions: regions,
                           maintenanceIRQ: maintenance, findings: findings)
    }

    /// The first interrupt controller Xen drives, with its GIC version; other GIC-like controllers seen on the way.
    static func find(_ tree: DeviceTree) -> (found: (Node, Int)?, others: [Node]) {
        var otherControllers: [Node] = []
        // Pre-order, stopping at the first controller Xen drives (the ones after it are not looked at).
        for node in tree.allNodes where node.parent != nil && node.isInterruptController {
            let c = node.compatibles
            if c.contains(where: v2Compatibles.contains) { return ((node, 2), otherControllers) }
            if c.contains(where: v3Compatibles.contains) { return ((node, 3), otherControllers) }
            if c.contains(where: { $0.contains("gic") }) { otherControllers.append(node) }
        }
        return (nil, otherControllers)
    }

    /// GICv2: GICD, GICC, GICH, GICV, checked as Xen's gicv2 driver does (sizes, page alignment).
    static func v2Regions(_ node: Node, _ phys: [PhysicalRegion], findings: inout [Finding]) -> [Region] {
        let names = ["GICD", "GICC", "GICH", "GICV"]
        let regions = phys.prefix(4).enumerated().map { Region(name: names[$0.offset], address: $0.element.address, size: $0.element.size) }
        guard phys.count >= 4 else {
            let missing = names[phys.count...].joined(separator: "/")
            findings.append(.blocker(.gicNoVirtualization,
                                     "\(node.path): reg has \(phys.count) regions, Xen needs GICD, GICC, GICH and GICV (missing \(missing): no virtualization extensions described)"))
            return regions
        }
        var csize = phys[1].size
        let vsize = phys[3].size
        if csize < 0x2000 {
            findings.append(.warning(.giccTooSmall, "\(node.path): GICC size \(hex(csize)) is below 8K; Xen forces 8K (or 128K with the 64K-stride quirk)"))
            csize = 0x2000
        }
        if csize != vsize {
            findings.append(.blocker(.gicGiccGicvSize, "\(node.path): GICC size \(hex(csize)) and GICV size \(hex(vsize)) differ: Xen panics"))
        }
        if phys.prefix(4).contains(where: { $0.address % xenPageSize != 0 }) {
            findings.append(.blocker(.gicNotPageAligned, "\(node.path): GICv2 interfaces are not page aligned: Xen panics"))
        }
        return regions
    }

    /// GICv3: GICD, the redistributor regions (`#redistributor-regions`, default 1), then optional GICC/GICH/GICV.
    static func v3Regions(_ node: Node, _ phys: [PhysicalRegion], arch: Architecture, findings: inout [Finding]) -> [Region] {
        if arch == .arm32 {
            findings.append(.blocker(.gicv3Arm32, "\(node.path): Xen 4.17 supports GICv3 only on arm64"))
        }
        var regions: [Region] = []
        let redistributors = Int(node.property("#redistributor-regions")?.u32 ?? 1)
        if let d = phys.first {
            regions.append(Region(name: "GICD", address: d.address, size: d.size))
            if d.address % xenPageSize != 0 {
                findings.append(.blocker(.gicNotPageAligned, "\(node.path): GICD is not page aligned: Xen panics"))
            }
        }
        for (i, r) in phys.dropFirst().prefix(redistributors).enumerated() {
            regions.append(Region(name: "GICR\(i)", address: r.address, size: r.size))
        }
        if phys.count < 1 + redistributors {
            findings.append(.blocker(.gicv3NoRedistributors, "\(node.path): reg has \(phys.count) regions, Xen needs GICD + \(redistributors) redistributor region(s)"))
        }
        let extra = ["GICC", "GICH", "GICV"]
        for (i, r) in phys.dropFirst(1 + redistributors).prefix(3).enumerated() {
            regions.append(Region(name: extra[i], address: r.address, size: r.size))
        }
        return regions
    }
}
