import DeviceTree
import XenArm

/// Why a device must not reach Dom0.
public enum HiddenDeviceKind: Equatable, Sendable {
    /// The console UART: Xen owns it.
    case consoleUART
    /// Matched by the built-in platform's `blacklist_dev`.
    case platformBlacklist(platform: String, compatible: String)
    /// A compatible `handle_node` never gives to Dom0 (PMUs, EDAC, the memory-mapped timer).
    case hostOnly(compatible: String)
    /// An IOMMU Xen drives.
    case xenIOMMU(driver: String)
    /// A device whose `reg` shares the console UART's 4K page (stock Xen would map it into Dom0).
    case sharesConsolePage(page: UInt64)
    /// A bus containing the console whose own `reg` covers the console page (Xen maps a node's `reg` into Dom0).
    case busCoversConsolePage(page: UInt64)

    /// True when stock Xen already keeps the device from Dom0.
    public var automatic: Bool {
        switch self {
        case .sharesConsolePage, .busCoversConsolePage: return false
        case .consoleUART, .platformBlacklist, .hostOnly, .xenIOMMU: return true
        }
    }

    /// For people (`inspect` text and JSON `reason`).
    public var reason: String {
        switch self {
        case .consoleUART: return "console UART, owned by Xen"
        case .platformBlacklist(let platform, let c): return "\(platform) blacklist_dev (\(c))"
        case .hostOnly(let c): return "host-only (\(c)), never given to Dom0"
        case .xenIOMMU(let driver): return "IOMMU driven by Xen (\(driver))"
        case .sharesConsolePage(let page): return "shares the console UART's 4K page \(hex(page)): Dom0 could reach Xen's UART"
        case .busCoversConsolePage(let page): return "bus containing the console, whose reg covers the console's 4K page \(hex(page))"
        }
    }
}

/// A device Dom0 must not get, and whether Xen 4.17 already keeps it away or the port has to (platform
/// `blacklist_dev`).
public struct HiddenDevice: Equatable, Sendable {
    public let path: String
    public let kind: HiddenDeviceKind

    public var automatic: Bool { kind.automatic }
    public var reason: String { kind.reason }
    /// A bus whose `reg` covers the console page: a platform blacklist entry cannot fix it (it would hide the console).
    public var isBus: Bool { if case .busCoversConsolePage = kind { return true } else { return false } }
}

public enum HiddenDevices {
    /// Compatibles `handle_node` always leaves out of Dom0's tree (domain_build.c).
    static let alwaysSkipped: Set<String> = ["arm,cortex-a7-pmu", "arm,cortex-a15-pmu", "arm,armv8-pmuv3", "arm,cortex-a53-edac",
                                "arm,armv7-timer-mem"]

    public static func analyze(_ tree: DeviceTree, console: String?, consoleBase: UInt64?, platform: XenPlatform?,
                               iommus: [IOMMUReport]) -> [HiddenDevice] {
        var out: [HiddenDevice] = []
        if let console { out.append(HiddenDevice(path: console, kind: .consoleUART)) }
        let consolePage = consoleBase.map { $0 & ~(xenPageSize - 1) }
        let consolePrefix = console.map { $0 + "/" }
        let consoleNode = console.flatMap { tree.node(at: $0) }
        let ranges = RangesCache()
        // The nodes a compatible check can hit, from the tree's compatible index (most trees have none or a few).
        let listed = Set(tree.nodes(compatibleWithAnyOf: (platform?.blacklist ?? []) + Array(alwaysSkipped)).map(ObjectIdentifier.init))
        tree.forEachNode { node in
            guard node.parent != nil, node !== consoleNode else { return }
            if listed.contains(ObjectIdentifier(node)) {
                let c = node.compatibles
                if let platform, let hit = c.first(where: { platform.blacklist.contains($0) }) {
                    out.append(HiddenDevice(path: node.path, kind: .platformBlacklist(platform: platform.name, compatible: hit)))
                    return
                }
                if let hit = c.first(where: alwaysSkipped.contains) {
                    out.append(HiddenDevice(path: node.path, kind: .hostOnly(compatible: hit)))
                    return
                }
            }
            if let page = consolePage, node.hasProperty("reg"), node.isEnabled, !node.hasProperty("interrupt-controller"),
               tree.isCPUAddressable(node, cache: ranges), let regions = try? tree.physicalRegions(of: node, cache: ranges),
               regions.contains(where: { $0.address < page + xenPageSize && page < $0.end }) {
                let isAncestor = consolePrefix?.hasPrefix(node.path + "/") ?? false
                out.append(HiddenDevice(path: node.path, kind: isAncestor ? .busCoversConsolePage(page: page) : .sharesConsolePage(page: page)))
            }
        }
        for iommu in iommus where iommu.enabled {
            if let driver = iommu.driver { out.append(HiddenDevice(path: iommu.path, kind: .xenIOMMU(driver: driver.name))) }
        }
        return out
    }
}
