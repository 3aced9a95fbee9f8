import BoardFile
import BootInputs
import Foundation
import ImageComposer
import Infrastructure

extension Builder {
    /// For a bootloader (U-Boot, or a real board's): boot.cmd/boot.scr loading every module at its planned address,
    /// the MBR + FAT32 disk image holding them and, with `fit`, a FIT image. QEMU's direct loader needs none.
    static func writeBootMedia(_ board: Board, host: HostStage, memory: MemoryStage, dtb: [UInt8], loads: [ModuleLoad],
                               options: Options, into out: StagedDirectory, progress: (String) -> Void) throws -> [String] {
        guard !memory.direct else { return [] }
        let t = options.timings
        let plan = memory.plan
        let xenAt = try plan.address(of: .xen), dtbAt = try plan.address(of: .dtb)
        let scriptLoads = [BootScript.Load(file: Name.xen, address: xenAt), .init(file: Name.dtb, address: dtbAt)]
            + (try loads.map { BootScript.Load(file: $0.file, address: try plan.address(of: $0.item)) })
        try out.write(Name.script, BootScript.text(board: board.name, arch: board.arch, loads: scriptLoads, xenAddress: xenAt, dtbAddress: dtbAt))
        try t.measure("mkimage boot.scr", own: false) {
            try Tools.mkimageScript(arch: board.arch, input: out.url(Name.script), output: out.url(Name.scr), epoch: options.epoch)
        }
        let scr = try [UInt8](Data(contentsOf: out.url(Name.scr)))
        var diskFiles: [DiskImage.File] = [.init(name: Name.scr, contents: scr), .init(name: Name.xen, contents: host.inputs.xen),
                                           .init(name: Name.dtb, contents: dtb)]
        for l in loads where !diskFiles.contains(where: { $0.name == l.file }) { diskFiles.append(.init(name: l.file, contents: l.bytes)) }
        progress("writing the disk image (MBR + FAT32)")
        try t.measure("disk image (MBR + FAT32, writes file data)", own: false) {
            try DiskImage.write(to: out.url(Name.disk), files: diskFiles, epoch: options.epoch)
        }
        var files = [Name.script, Name.scr, Name.disk]
        if options.fit, board.dom0 {
            try writeFIT(board, plan: plan, loads: loads, xenVersion: board.xenVersion.rawValue, options: options, into: out)
            files += ["xen.its", "xen.itb"]
        }
        return files
    }

    /// xen.its + xen.itb (`mkimage -f`): Xen, the DTB and every module of the plan (Dom0's kernel and initramfs, each
    /// DomU's kernel, initramfs and partial tree) as loadables at their planned addresses.
    static func writeFIT(_ board: Board, plan: MemoryPlan, loads: [ModuleLoad], xenVersion: String, options: Options,
                         into out: StagedDirectory) throws {
        let its = FITImage.its(board: board.name, arch: board.arch,
                               xen: .init(node: "xen", description: "Xen \(xenVersion)", file: Name.xen, type: "kernel",
                                          address: try plan.address(of: .xen)),
                               dtb: .init(node: "fdt", description: "board DTB with /chosen", file: Name.dtb, type: "flat_dt",
                                          address: try plan.address(of: .dtb)),
                               loadables: try loads.map { try fitPart($0, plan: plan) })
        try out.write("xen.its", its)
        try options.timings.measure("mkimage -f xen.itb", own: false) {
            try Tools.mkimageFIT(its: out.url("xen.its"), output: out.url("xen.itb"), epoch: options.epoch)
        }
    }

    /// One FIT loadable: its node name, description and image type follow the plan item.
    static func fitPart(_ load: ModuleLoad, plan: MemoryPlan) throws -> FITImage.Part {
        let (node, description, type): (String, String, String)
        switch load.item {
        case .kernel: (node, description, type) = ("dom0-kernel", "Dom0 kernel", "kernel")
        case .initrd: (node, description, type) = ("dom0-initrd", "Dom0 initramfs", "ramdisk")
        case .guestKernel(let g): (node, description, type) = ("kernel-\(g)", "\(g) kernel", "kernel")
        case .guestInitrd(let g): (node, description, type) = ("initrd-\(g)", "\(g) initramfs", "ramdisk")
        case .guestDTB(let g): (node, description, type) = ("dtb-\(g)", "\(g) partial device tree", "flat_dt")
        case .xen, .dtb: (node, description, type) = (load.item.name, load.item.name, "firmware")
        }
        return .init(node: node, description: description, file: load.file, type: type, address: try plan.address(of: load.item))
    }

    /// One manifest entry per planned module; one digest per output file (a DomU sharing Dom0's kernel file does
    /// not hash it again).
    static func manifestModules(_ board: Board, host: HostStage, memory: MemoryStage, dtb: [UInt8], loads: [ModuleLoad],
                                timings t: BuildTimings) throws -> [Manifest.Module] {
        let loader = memory.direct ? "qemu loader" : (board.qemu != nil ? "u-boot" : "bootloader")
        var digests: [String: String] = [:]
        // Files linked from the package cache carry the digest recorded when they were verified.
        digests[Name.xen] = host.inputs.xenFile.flatMap(PackageCache.linkedDigest(of:))
        digests[Name.kernel] = host.inputs.kernelFile.flatMap(PackageCache.linkedDigest(of:))
        var modules: [Manifest.Module] = []
        let all = [ModuleLoad(item: .xen, file: Name.xen, bytes: host.inputs.xen), ModuleLoad(item: .dtb, file: Name.dtb, bytes: dtb)] + loads
        for l in all {
            // QEMU's direct loader places Xen and the DTB itself: they are not in the plan.
            guard let range = memory.plan[l.item] else { continue }
            let sum = try digests[l.file] ?? t.measure("sha256 \(l.file)", own: false) { try Tools.sha256(l.bytes) }
            digests[l.file] = sum
            modules.append(.init(name: l.item.name, file: l.file, loadAddress: range.base, size: range.size, end: range.end, sha256: sum, loadedBy: loader))
        }
        return modules
    }
}
