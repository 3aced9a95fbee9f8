import DeviceTree
import XenArm

/// How guest-physical addresses are chosen for passed-through MMIO.
public enum GuestAddressPolicy: String, Sendable, CaseIterable {
    /// Guest address = host address; refused when that overlaps Xen 4.17's guest memory map.
    case identity = "1:1"
    /// 1:1 where safe, relocated below guest RAM otherwise.
    case auto
}

/// A host property holding a reference that was not carried into the partial tree.
public struct DroppedReference: Equatable, Sendable, CustomStringConvertible {
    /// Host path of the node that held the property.
    public let node: String
    public let property: String
    /// Host paths of the referenced nodes (a phandle that resolves to nothing is shown as `<0x..>`).
    public let targets: [String]
    public let reason: String

    public var description: String {
        "\(node): \(property) -> \(targets.isEmpty ? "-" : targets.joined(separator: ", ")) (\(reason))"
    }
}

/// One MMIO range given to the guest: `xen,reg = <host size guest>` (page aligned).
public struct MappedRange: Equatable, Sendable {
    public let host: UInt64
    public let size: UInt64
    public let guest: UInt64
    /// True when guest == host.
    public var isIdentity: Bool { host == guest }
    public init(host: UInt64, size: UInt64, guest: UInt64) {
        self.host = host
        self.size = size
        self.guest = guest
    }
}

/// One passed-through device.
public struct PassedDevice: Equatable, Sendable {
    /// Absolute path in the host tree (`xen,path`).
    public let hostPath: String
    /// Path of the node in the partial tree (`/passthrough/NAME@GUEST`).
    public let partialPath: String
    /// Page-aligned MMIO ranges (`xen,reg`).
    public let ranges: [MappedRange]
    /// The device's `reg` regions as CPU addresses in the host, and as the guest sees them.
    public let hostRegions: [PhysicalRegion]
    public let guestRegions: [PhysicalRegion]
    /// SPIs routed to the guest, as GIC INTIDs (SPI n = n + 32); guest IRQ = host IRQ.
    public let spis: [UInt32]
    /// Behind an IOMMU Xen drives (then `dtdev`); otherwise `xen,force-assign-without-iommu` is set.
    public let iommuProtected: Bool
}

/// Everything `Passthrough.extract` produces.
public struct PassthroughResult {
    /// The partial device tree: `/passthrough` with the devices and their frozen clocks.
    public let partial: DeviceTree
    /// The encoded partial tree (validated by libfdt).
    public let partialBlob: [UInt8]
    /// A copy of the host tree with an empty `xen,passthrough` on each passed node.
    public let host: DeviceTree
    public let devices: [PassedDevice]
    public let warnings: [String]
    /// Every host reference (clock, reset, pinctrl, iommu, ...) that was not carried over as is.
    public let droppedReferences: [DroppedReference]

    /// xl configuration lines: `device_tree`, `dtdev` (IOMMU-protected devices only), `irqs` (INTIDs) and
    /// `iomem` (`"HOSTPFN,NPAGES@GUESTPFN"`, hex page numbers).
    public func xlConfig(deviceTree path: String = "partial.dtb") -> String {
        var lines = ["device_tree = \"\(path)\""]
        let dtdev = devices.filter(\.iommuProtected).map { "\"\($0.hostPath)\"" }
        if !dtdev.isEmpty { lines.append("dtdev = [ \(dtdev.joined(separator: ", ")) ]") }
        let irqs = devices.flatMap(\.spis)
        if !irqs.isEmpty { lines.append("irqs = [ \(irqs.map(String.init).joined(separator: ", ")) ]") }
        let iomem = devices.flatMap(\.ranges).map { r in
            "\"\(String(r.host / xenPageSize, radix: 16)),\(String(r.size / xenPageSize, radix: 16))@\(String(r.guest / xenPageSize, radix: 16))\""
        }
        if !iomem.isEmpty { lines.append("iomem = [ \(iomem.joined(separator: ", ")) ]") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `xlConfig(deviceTree: "partial.dtb")`.
    public var xlConfig: String { xlConfig() }
}
