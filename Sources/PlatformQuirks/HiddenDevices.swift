import DeviceTree
import XenArm

/// A device Dom0 must not get, and whether Xen 4.17 already keeps it away or the port has to (platform
/// `blacklist_dev`).
public struct HiddenDevice: Equatable {
    public let path: String
    public let reason: String
    /// True when stock Xen hides it (console in use by Xen, platform blacklist, IOMMU Xen drives, host-only nodes).
    public let automatic: Bool
    /// A bus containing the console whose own `reg` covers the console page (Xen maps a node's `reg` into Dom0).
    public let isBus: Bool

    init(path: String, reason: String, automatic: Bool, isBus: Bool = false) {
        self.path = path
        self.reason = reason
        self.automatic = automatic
        self.isBus = isBus
    }
}

public enum HiddenDevices {
    /// Compatibles `handle_node` always leaves out of Dom0's tree (domain_build.c).
    static let alwaysSkipped = ["arm,cortex-a7-pmu", "arm,cortex-a15-pmu", "arm,armv8-pmuv3", "arm,cortex-a53-edac",
                                "arm,armv7-timer-mem"]

    public static func analyze(_ tree: DeviceTree, console: String?, consoleBase: UInt64?, platform: XenPlatform?,
                               iommus: [IOMMUReport]) -> [HiddenDevice] {
        var out: [HiddenDevice] = []
        if let console { out.append(HiddenDevice(path: console, reason: "console UART, owned by Xen", automatic: true)) }
        let consolePage = consoleBase.map { $0 & ~(xenPageSize - 1) }
        let consolePrefix = console.map { $0 + "/" }
        tree.forEachNode { node in
            guard node.parent != nil, node.path != console else { return }
            let c = node.compatibles
            if let platform, let hit = c.first(where: { platform.blacklist.contains($0) }) {
                out.append(HiddenDevice(path: node.path, reason: "\(platform.name) blacklist_dev (\(hit))", automatic: true))
                return
            }
            if let hit = c.first(where: alwaysSkipped.contains) {
                out.append(HiddenDevice(path: node.path, reason: "host-only (\(hit)), never given to Dom0", automatic: true))
                return
            }
            if let page = consolePage, node.isEnabled, !node.hasProperty("interrupt-controller"),
               let regions = try? tree.physicalRegions(of: node),
               regions.contains(where: { $0.address < page + xenPageSize && page < $0.end }) {
                let isAncestor = consolePrefix?.hasPrefix(node.path + "/") ?? false
                out.append(HiddenDevice(path: node.path,
                                        reason: isAncestor ? "bus containing the console, whose reg covers the console's 4K page \(hex(page))"
                                                           : "shares the console UART's 4K page \(hex(page)): Dom0 could reach Xen's UART",
                                        automatic: false, isBus: isAncestor))
            }
        }
        for iommu in iommus where iommu.xenDriver != nil && iommu.enabled {
            out.append(HiddenDevice(path: iommu.path, reason: "IOMMU driven by Xen (\(iommu.xenDriver ?? ""))", automatic: true))
        }
        return out
    }
}
