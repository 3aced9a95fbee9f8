import DeviceTree
import XenArm

/// The refusals that depend only on the node itself (rule 20 and "is this a device at all").
enum DeviceChecks {
    static let busCompatibles: Set<String> = ["simple-bus", "simple-pm-bus", "arm,amba-bus", "isa", "simple-mfd-bus"]

    /// Throws when `node` cannot be passed through: the root, a bus, memory/CPU nodes, a node with neither `reg`
    /// nor `interrupts`, Xen's console UART, the GIC, an IOMMU.
    static func check(_ node: Node, facts: HostFacts) throws {
        let path = node.path
        if node.isRoot { throw PassthroughError.notADevice(path: path, reason: "the root node") }
        if let bus = node.compatibles.first(where: busCompatibles.contains) {
            throw PassthroughError.notADevice(path: path, reason: "a bus (compatible \"\(bus)\"); pass the devices on it instead")
        }
        if node.hasProperty("ranges"), !node.hasProperty("interrupts"), !node.hasProperty("interrupts-extended"),
           node.children.contains(where: { $0.hasProperty("reg") }) {
            throw PassthroughError.notADevice(path: path, reason: "a bus (it has ranges and child devices)")
        }
        if let type = node.property("device_type")?.string, type == "memory" || type == "cpu" {
            throw PassthroughError.notADevice(path: path, reason: "device_type \"\(type)\"")
        }
        let top = path.split(separator: "/").first.map(String.init) ?? ""
        if ["cpus", "chosen", "aliases", "reserved-memory", "__symbols__", "memory"].contains(where: { top == $0 || top.hasPrefix($0 + "@") }) {
            throw PassthroughError.notADevice(path: path, reason: "under /\(top)")
        }
        let hasReg = node.hasProperty("reg")
        let hasIRQ = node.hasProperty("interrupts") || node.hasProperty("interrupts-extended")
        if !hasReg && !hasIRQ {
            throw PassthroughError.notADevice(path: path, reason: "it has neither reg nor interrupts")
        }
        if !hasReg {
            throw PassthroughError.notADevice(path: path, reason: "it has no reg; Xen 4.17 needs xen,reg next to xen,path")
        }
        if let console = facts.consoleUART, console == path {
            throw PassthroughError.xenConsole(path: path)
        }
        if let gic = facts.gic, gic == path {
            throw PassthroughError.ownedByXen(path: path, what: "the interrupt controller (GIC)")
        }
        if node.isInterruptController, GICInterrupt.isGIC(node) {
            throw PassthroughError.ownedByXen(path: path, what: "a GIC")
        }
        if facts.iommus.contains(where: { $0.path == path }) {
            throw PassthroughError.ownedByXen(path: path, what: "an IOMMU")
        }
    }

    /// True when the device's `iommus` points at an enabled IOMMU that Xen 4.17 has a driver for.
    static func isIOMMUProtected(_ node: Node, facts: HostFacts, phandles: [UInt32: Node]) -> Bool {
        guard let first = node.property("iommus")?.cells?.first, let iommu = phandles[first] else { return false }
        let path = iommu.path
        return facts.iommus.contains { $0.path == path && $0.drivenByXen }
    }
}
