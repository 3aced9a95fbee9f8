import BoardFile
import DeviceTree
import XenArm

/// Writes dom0less guests and CPU pools into `/chosen` (docs/misc/arm/device-tree/booting.txt, "Dom0less"):
/// one `xen,domain` node per DomU with `memory` (KiB, 64-bit), `cpus`, `vpl011`, `xen,enhanced`, static memory,
/// `direct-map`, `domain-cpupool`, `llc-colors`, and its kernel / ramdisk / partial-DTB modules; one `xen,cpupool` node per pool.
public enum DomUWriter {
    public struct Modules: Sendable {
        public let kernel: ChosenWriter.Module
        public let ramdisk: ChosenWriter.Module
        public let partialDTB: ChosenWriter.Module?
        public let bootargs: String

        public init(kernel: ChosenWriter.Module, ramdisk: ChosenWriter.Module, partialDTB: ChosenWriter.Module?, bootargs: String) {
            self.kernel = kernel
            self.ramdisk = ramdisk
            self.partialDTB = partialDTB
            self.bootargs = bootargs
        }
    }

    public static func write(into tree: DeviceTree, domU: Board.DomU, modules: Modules, cpupools: [Board.CPUPool]) throws {
        let chosen = try tree.root.child(orCreate: "chosen")
        let node = try chosen.addChild(named: "domU-\(domU.name)")
        node.setProperty("compatible", .string("xen,domain"))
        node.setProperty("#address-cells", .u32([2]))
        node.setProperty("#size-cells", .u32([2]))
        guard let bytes = BoardFileParser.parseSize(domU.memory) else {
            throw DeviceTreeError(node, property: "memory", "'\(domU.memory)' is not a size")
        }
        node.setProperty("memory", .u64([bytes / 1024]))
        node.setProperty("cpus", .u32([UInt32(domU.cpus)]))
        if domU.vpl011 { node.setProperty("vpl011", .empty) }
        if let e = domU.enhanced { node.setProperty("xen,enhanced", .string(e)) }
        if let sm = domU.staticMem {
            // xen,static-mem uses /chosen's cells (the node's parent), here made explicit as 2/2 by ChosenWriter.
            let ac = chosen.childAddressCells, sc = chosen.childSizeCells
            // Bounded before any cell array is sized from the input tree's cells (a hostile #address-cells).
            guard (1...2).contains(ac), (1...2).contains(sc) else {
                throw DeviceTreeError(chosen, property: "#address-cells", "xen,static-mem needs 1 or 2 cells, /chosen has \(ac)/\(sc)")
            }
            guard ac == 2 || sm.base <= 0xffff_ffff, sc == 2 || sm.size <= 0xffff_ffff else {
                throw DeviceTreeError(chosen, property: "#address-cells", "static-mem \(hex(sm.base)):\(hex(sm.size)) does not fit /chosen's \(ac)/\(sc) cells")
            }
            node.setProperty("xen,static-mem", .u32(CellNumber(sm.base, cellCount: ac).cells + CellNumber(sm.size, cellCount: sc).cells))
            node.setProperty("#xen,static-mem-address-cells", .u32([UInt32(ac)]))
            node.setProperty("#xen,static-mem-size-cells", .u32([UInt32(sc)]))
        }
        if domU.directMap { node.setProperty("direct-map", .empty) }
        // Xen 4.20's LLC colouring (BoardVersionChecks: only boards on a version that accepts it get here).
        if let colours = domU.llcColors { node.setProperty("llc-colors", .string(colours)) }
        if let frames = domU.maxGrantFrames { node.setProperty("max_grant_frames", .u32([frames])) }
        if let poolName = domU.cpupool {
            guard let pool = chosen.child(named: "cpupool-\(poolName)") else {
                throw DeviceTreeError(chosen, "cpupool '\(poolName)' was not written")
            }
            node.setProperty("domain-cpupool", .u32([try tree.ensurePhandle(pool)]))
        }
        func add(_ m: ChosenWriter.Module, bootargs: String? = nil) throws {
            let child = try node.addChild(named: "module@\(String(m.address, radix: 16))")
            child.setProperty("compatible", .strings([m.kind.rawValue, "multiboot,module"]))
            child.setProperty("reg", .u64([m.address, m.size]))
            if let bootargs { child.setProperty("bootargs", .string(bootargs)) }
        }
        try add(modules.kernel, bootargs: modules.bootargs)
        try add(modules.ramdisk)
        if let dtb = modules.partialDTB { try add(dtb) }
    }

    /// `xen,cpupool` nodes; CPUs are referenced by phandle (given one when they have none).
    public static func writeCPUPools(into tree: DeviceTree, pools: [Board.CPUPool]) throws {
        let chosen = try tree.root.child(orCreate: "chosen")
        for pool in pools {
            let node = try chosen.addChild(named: "cpupool-\(pool.name)")
            node.setProperty("compatible", .string("xen,cpupool"))
            var phandles: [UInt32] = []
            for path in pool.cpus {
                guard let cpu = tree.node(at: path), cpu.property("device_type")?.string == "cpu" else {
                    throw DeviceTreeError(node: path, "cpupool '\(pool.name)': not a CPU node in the device tree")
                }
                phandles.append(try tree.ensurePhandle(cpu))
            }
            node.setProperty("cpupool-cpus", .u32(phandles))
            node.setProperty("cpupool-sched", .string(pool.scheduler))
        }
    }
}
