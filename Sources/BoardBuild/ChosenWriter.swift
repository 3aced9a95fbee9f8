import DeviceTree
import XenArm

/// Writes Xen's boot information into `/chosen` on the host, so the bootloader only loads files and boots
/// (docs/misc/arm/device-tree/booting.txt): `xen,xen-bootargs`, `xen,dom0-bootargs` and one `module@ADDR` node per
/// boot module with `multiboot,*` compatibles and `reg` in `/chosen`'s cells. Existing `/chosen` content is kept.
public enum ChosenWriter {
    public enum ModuleKind: String, Sendable {
        case kernel = "multiboot,kernel"
        case ramdisk = "multiboot,ramdisk"
        case deviceTree = "multiboot,device-tree"
    }

    public struct Module: Equatable, Sendable {
        public let kind: ModuleKind
        public let address: UInt64
        public let size: UInt64
        public init(kind: ModuleKind, address: UInt64, size: UInt64) {
            self.kind = kind
            self.address = address
            self.size = size
        }
    }

    /// `dom0Bootargs` nil: true dom0less (no Dom0 modules, no `xen,dom0-bootargs`).
    public static func write(into tree: DeviceTree, xenBootargs: String, dom0Bootargs: String?, modules: [Module]) throws {
        let chosen = try tree.root.child(orCreate: "chosen")
        // Old boot modules (from an earlier run or another tool) would be picked up by Xen as well: replace them.
        for child in chosen.children where child.compatibles.contains(where: {
            $0.hasPrefix("multiboot,") || $0 == "xen,multiboot-module" || $0 == "xen,domain" || $0 == "xen,cpupool"
        }) {
            child.removeFromParent()
        }
        // Module `reg` uses /chosen's cells. Keep them if /chosen states them, or if existing children with `reg`
        // already depend on the inherited ones; otherwise make them explicit (2/2: any 64-bit address fits).
        let childrenUseReg = chosen.children.contains { $0.hasProperty("reg") }
        if chosen.property("#address-cells") == nil && !childrenUseReg {
            chosen.setProperty("#address-cells", .u32([2]))
            chosen.setProperty("#size-cells", .u32([2]))
        }
        let ac = chosen.childAddressCells, sc = chosen.childSizeCells
        guard (1...2).contains(ac), (1...2).contains(sc) else {
            throw DeviceTreeError(chosen, property: "#address-cells", "module reg needs 1 or 2 cells, /chosen has \(ac)/\(sc)")
        }
        chosen.setProperty("xen,xen-bootargs", .string(xenBootargs))
        if let dom0Bootargs { chosen.setProperty("xen,dom0-bootargs", .string(dom0Bootargs)) } else { chosen.removeProperty("xen,dom0-bootargs") }
        for m in modules {
            if ac == 1 && m.address > 0xffff_ffff || sc == 1 && m.size > 0xffff_ffff {
                throw DeviceTreeError(chosen, property: "#address-cells", "\(m.kind.rawValue) at \(hex(m.address)) does not fit /chosen's \(ac)/\(sc) cells")
            }
            let node = try chosen.addChild(named: "module@\(String(m.address, radix: 16))")
            node.setProperty("compatible", .strings([m.kind.rawValue, "multiboot,module"]))
            node.setProperty("reg", .u32(CellNumber(m.address, cellCount: ac).cells + CellNumber(m.size, cellCount: sc).cells))
        }
    }
}
