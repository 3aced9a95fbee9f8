import DeviceTree
import XenArm

/// A Xen 4.17 IOMMU driver and the compatibles it takes (catalog §5.6). Data.
public struct XenIOMMUDriver: Sendable, Equatable {
    public let name: String
    public let kconfig: String
    public let architectures: Set<Architecture>
    public let compatibles: [String]
    public let note: String?

    public static let catalog: [XenIOMMUDriver] = [
        XenIOMMUDriver(name: "arm-smmu", kconfig: "ARM_SMMU", architectures: [.arm64, .arm32],
                       compatibles: ["arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401", "arm,mmu-500"], note: nil),
        XenIOMMUDriver(name: "arm-smmu-v3", kconfig: "ARM_SMMU_V3", architectures: [.arm64],
                       compatibles: ["arm,smmu-v3"], note: "needs CONFIG_EXPERT"),
        XenIOMMUDriver(name: "ipmmu-vmsa", kconfig: "IPMMU_VMSA", architectures: [.arm64],
                       compatibles: ["renesas,ipmmu-r8a7795", "renesas,ipmmu-r8a77965", "renesas,ipmmu-r8a7796",
                                     "renesas,ipmmu-r8a77961", "renesas,ipmmu-r8a779f0"], note: nil),
    ]
}

/// IOMMUs in the tree (nodes with `#iommu-cells` or a known IOMMU compatible) and whether Xen drives them.
public struct IOMMUReport: Equatable {
    public let path: String
    public let compatible: [String]
    /// The Xen driver for it on this architecture (nil: Xen does not drive it).
    public let driver: XenIOMMUDriver?
    public let enabled: Bool
    /// Nodes whose `iommus` property points at this IOMMU.
    public let masters: Int

    public var xenDriver: String? { driver?.name }
    public var kconfig: String? { driver?.kconfig }
    /// Xen drives it, so devices behind it can be assigned to guests safely.
    public var drivenByXen: Bool { enabled && driver != nil }

    public static func analyze(_ tree: DeviceTree, arch: Architecture) -> [IOMMUReport] {
        var iommus: [Node] = []
        var masters: [UInt32: Int] = [:]
        let known = Set(tree.nodes(compatibleWithAnyOf: XenIOMMUDriver.catalog.flatMap(\.compatibles)).map(ObjectIdentifier.init))
        tree.forEachNode { node in
            if node.hasProperty("#iommu-cells") || known.contains(ObjectIdentifier(node)) { iommus.append(node) }
            if let cells = node.property("iommus")?.cells, let first = cells.first { masters[first, default: 0] += 1 }
        }
        return iommus.map { node in
            let driver = XenIOMMUDriver.catalog.first { d in
                d.architectures.contains(arch) && node.compatibles.contains(where: d.compatibles.contains)
            }
            return IOMMUReport(path: node.path, compatible: node.compatibles, driver: driver,
                               enabled: node.isEnabled, masters: node.phandle.flatMap { masters[$0] } ?? 0)
        }
    }
}
