import BoardFile
import BoardModel
import DeviceTree
import XenArm

/// Stage 3, memory plan: RAM, what is reserved in it, and where every module goes.
struct MemoryStage {
    let ram: [MemoryRange]
    let reserved: [MemoryRange]
    let xenBootargs: String
    let dom0Bootargs: String
    /// /chosen as it will be written, and the DTB size planned for (upper bound over module addresses).
    let chosen: ChosenPlan
    let dtbSize: Int
    let plan: MemoryPlan
    /// QEMU's -kernel/-dtb loader places Xen and the DTB (no bootloader, no boot script).
    let direct: Bool
}

extension Builder {
    /// The DTB's size depends on the addresses only through the module@ADDR node names: measure it with the
    /// longest possible addresses first and plan for that upper bound.
    static func planMemory(_ board: Board, host: HostStage, guests: GuestStage) throws -> MemoryStage {
        let ram = try ramBanks(board, model: host.model, dtb: host.inputs.dtbSource)
        try BoardChecks.checkRAM(board, ram: ram, dtb: host.inputs.dtbSource)
        let direct = board.qemu?.boot == .direct
        var reserved = treeReserved(host.model)
        let placeFrom = try reserveFirmware(board, ram: ram, direct: direct, into: &reserved)
        try BoardChecks.checkStaticMemory(board, ram: ram, reserved: reserved)
        reserved += guests.guests.compactMap { g in g.domU.staticMem.map { MemoryRange(name: "static-mem \(g.domU.name)", base: $0.base, size: $0.size) } }
        var xenCommandLine = XenCommandLine(dtuart: host.dtuart, dom0Memory: board.dom0Memory, dom0MaxVCPUs: board.dom0VCPUs,
                                            extra: board.xenBootargs)
        xenCommandLine.features = board.dom0lessXenArguments
        let xenBootargs = xenCommandLine.text
        let dom0Bootargs = (["console=hvc0 earlycon=xenboot earlyprintk=xen clk_ignore_unused rdinit=/init", board.dom0Bootargs])
            .filter { !$0.isEmpty }.joined(separator: " ")
        let chosen = ChosenPlan(board: board, xenBootargs: xenBootargs, dom0Bootargs: dom0Bootargs, kernelSize: UInt64(host.inputs.kernel.count),
                                dom0InitrdSize: UInt64(guests.dom0Initrd.count), guests: guests.guests)
        let dtbSize = try chosen.measure(host.tree)
        let items = try loadItems(board, host: host, guests: guests, dtbSize: dtbSize, direct: direct)
        let plan = try MemoryPlan.make(ram: ram, reserved: reserved, items: items, placeFrom: placeFrom)
        try plan.verify()
        return MemoryStage(ram: ram, reserved: reserved, xenBootargs: xenBootargs, dom0Bootargs: dom0Bootargs, chosen: chosen,
                           dtbSize: dtbSize, plan: plan, direct: direct)
    }

    /// The board file's [memory] window, else the tree's memory banks; a board with neither cannot be planned.
    static func ramBanks(_ board: Board, model: BoardModel, dtb: String) throws -> [MemoryRange] {
        let ram = board.ram.map { [MemoryRange(name: "board-file", base: $0.base, size: $0.size)] }
            ?? model.memory.banks.enumerated().map { MemoryRange(name: "bank\($0.offset)", base: $0.element.address, size: $0.element.size) }
        guard !ram.isEmpty else {
            throw BuildError("\(dtb): no RAM (no /memory node with a reg); set the RAM window in [memory] of \(board.file)")
        }
        return ram
    }

    /// The tree's reserved memory (/memreserve/ and /reserved-memory).
    static func treeReserved(_ model: BoardModel) -> [MemoryRange] {
        model.memory.reserved.map { MemoryRange(name: $0.source, base: $0.base, size: $0.size) }
    }

    /// Reserves what QEMU's loader or U-Boot occupy in the first RAM bank; returns the lowest address modules may
    /// take (real boards keep the first 2 MiB for firmware and the bootloader).
    static func reserveFirmware(_ board: Board, ram: [MemoryRange], direct: Bool, into reserved: inout [MemoryRange]) throws -> UInt64 {
        guard let first = ram.min(by: { $0.base < $1.base }) else { throw BuildError("internal: no RAM bank to plan in") }
        guard board.qemu != nil else {
            let (from, overflow) = first.base.addingReportingOverflow(0x20_0000)
            guard !overflow else { throw BuildError("\(board.name): RAM bank \(first.text) starts too high to keep 2 MiB for firmware") }
            return from
        }
        if direct {
            // QEMU's -kernel loader puts Xen at the start of RAM and its -dtb copy at RAM + 128 MiB (up to 2 MiB).
            reserved.append(MemoryRange(name: "qemu -kernel/-dtb", base: first.base, size: min(first.size / 2, 0x820_0000)))
            return first.base
        }
        // QEMU hands U-Boot its own tree at the start of RAM; U-Boot relocates itself to the top.
        guard first.size >= 0x420_0000 else {
            throw BuildError("\(board.name): RAM bank \(first.text) is smaller than the 66 MiB U-Boot needs (its tree at the start, 64 MiB for itself at the top)")
        }
        reserved.append(MemoryRange(name: "qemu dtb for u-boot", base: first.base, size: 0x20_0000))
        reserved.append(MemoryRange(name: "u-boot (relocated)", base: first.end - 0x400_0000, size: 0x400_0000))
        return first.base
    }

    /// In placement order: Xen and the DTB (unless QEMU's loader places them), Dom0's kernel and initramfs, then
    /// each DomU's kernel (its own image's size, else Dom0's), initramfs and partial tree.
    static func loadItems(_ board: Board, host: HostStage, guests: GuestStage, dtbSize: Int, direct: Bool) throws -> [LoadItem] {
        let kernelSize = host.inputs.kernelImage.effectiveSize
        var items: [LoadItem] = []
        if direct {
            // QEMU's -dtb places the tree itself (inside the reserved loader window); only its size limit applies.
            guard dtbSize <= 0x20_0000 else { throw BuildError("the DTB is \(dtbSize) bytes; Xen accepts at most 2 MiB") }
        } else {
            guard let xenImage = host.inputs.xenImage else { throw BuildError("no Xen image (neither Debian's nor a source build)") }
            items.append(LoadItem(.xen, size: xenImage.effectiveSize, alignment: 0x20_0000))
            items.append(LoadItem(.dtb, size: UInt64(dtbSize), alignment: 0x1000, maxSize: 0x20_0000))
        }
        if board.dom0 {
            items.append(LoadItem(.kernel, size: kernelSize, alignment: 0x20_0000))
            items.append(LoadItem(.initrd, size: UInt64(guests.dom0Initrd.count), alignment: 0x1000))
        }
        for g in guests.guests {
            let name = g.domU.name
            items.append(LoadItem(.guestKernel(name), size: g.kernel?.image.effectiveSize ?? kernelSize, alignment: 0x20_0000))
            items.append(LoadItem(.guestInitrd(name), size: UInt64(g.initrd.count), alignment: 0x1000))
            if let p = g.partialDTB { items.append(LoadItem(.guestDTB(name), size: UInt64(p.count), alignment: 0x1000)) }
        }
        return items
    }
}
