import BoardFile
import BootInputs
import DeviceTree

/// A DomU of the build: its board-file entry and the bytes made for it.
struct Guest {
    let domU: Board.DomU
    let initrd: [UInt8]
    let partialDTB: [UInt8]?
    /// The DomU's own kernel (`[[domu]] kernel = PATH`), written as `kernel-NAME`; nil: it shares Dom0's `kernel`.
    var kernel: GuestKernel? = nil

    /// The output file holding the kernel this DomU boots.
    var kernelFile: String { kernel == nil ? Builder.Name.kernel : "kernel-\(domU.name)" }
}

/// A DomU's own kernel image: its bytes and what its header says (its load size is `image.effectiveSize`).
struct GuestKernel {
    let bytes: [UInt8]
    let image: KernelImage
}

/// Everything that goes into /chosen, written from the module addresses of the plan. Used twice: with the longest
/// possible addresses to measure the DTB before planning (module@ADDR names vary in length), then for real.
struct ChosenPlan {
    let board: Board
    let xenBootargs: String
    let dom0Bootargs: String
    let kernelSize: UInt64
    let dom0InitrdSize: UInt64
    let guests: [Guest]

    func write(into tree: DeviceTree, address: (PlanItem) throws -> UInt64) throws {
        var modules: [ChosenWriter.Module] = []
        if board.dom0 {
            modules = [.init(kind: .kernel, address: try address(.kernel), size: kernelSize),
                       .init(kind: .ramdisk, address: try address(.initrd), size: dom0InitrdSize)]
        }
        try ChosenWriter.write(into: tree, xenBootargs: xenBootargs, dom0Bootargs: board.dom0 ? dom0Bootargs : nil, modules: modules)
        try DomUWriter.writeCPUPools(into: tree, pools: board.cpupools)
        for g in guests {
            let name = g.domU.name
            // vpl011 gives the guest a PL011 at a fixed address: its console is ttyAMA0.
            let bootargs = ([g.domU.vpl011 ? "console=ttyAMA0" : "console=hvc0", "rdinit=/init", g.domU.bootargs]).filter { !$0.isEmpty }.joined(separator: " ")
            try DomUWriter.write(into: tree, domU: g.domU, modules: .init(
                kernel: .init(kind: .kernel, address: try address(.guestKernel(name)), size: g.kernel.map { UInt64($0.bytes.count) } ?? kernelSize),
                ramdisk: .init(kind: .ramdisk, address: try address(.guestInitrd(name)), size: UInt64(g.initrd.count)),
                partialDTB: try g.partialDTB.map { .init(kind: .deviceTree, address: try address(.guestDTB(name)), size: UInt64($0.count)) },
                bootargs: bootargs), cpupools: board.cpupools)
        }
    }

    /// Size of the DTB with the longest addresses /chosen's cells can hold (1 cell when existing children keep
    /// inherited 1-cell reg).
    func measure(_ tree: DeviceTree) throws -> Int {
        for top: UInt64 in [0xffff_ffff_ffff_f000, 0xffff_f000] {
            let copy = tree.deepCopy()
            // A distinct, maximally long address per module (node names must differ within a parent).
            var given: [PlanItem: UInt64] = [:]
            do {
                try write(into: copy) { name in
                    if let a = given[name] { return a }
                    let a = top - UInt64(given.count) * 0x1000
                    given[name] = a
                    return a
                }
                return try DTBEncoder.encode(copy).count
            } catch is DeviceTreeError where top > 0xffff_ffff {
                continue
            }
        }
        throw Builder.BuildError("internal: cannot measure the DTB")
    }
}
