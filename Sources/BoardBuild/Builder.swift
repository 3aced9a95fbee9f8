import BoardFile
import BoardModel
import BootInputs
import DeviceTree
import Foundation
import ImageComposer
import Infrastructure
import Passthrough
import PlatformGen
import XenArm

/// `xen-board build`: board file in, bootable output directory out (out/BOARD by default).
public enum Builder {
    public struct Options: Sendable {
        public var outDirectory: String
        public var gzipInitramfs: Bool
        /// Also write a FIT image (xen.itb) with every module, via `mkimage -f`.
        public var fit: Bool = false
        /// Build Xen from Debian's source with the board's generated port instead of using Debian's binary.
        public var xenFromSource: Bool = false
        /// Replace whatever is at the output path (`--force`); without it only an earlier xen-board output or an
        /// empty directory is replaced.
        public var force: Bool = false
        public var epoch: SourceDateEpoch
        public var cache: URL?
        public var timings: BuildTimings

        public init(outDirectory: String, gzipInitramfs: Bool = false, epoch: SourceDateEpoch = .zero, cache: URL? = nil,
                    timings: BuildTimings = BuildTimings()) {
            self.timings = timings
            self.outDirectory = outDirectory
            self.gzipInitramfs = gzipInitramfs
            self.epoch = epoch
            self.cache = cache
        }
    }

    public struct BuildError: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// File names inside the output directory and on the boot partition (8.3 names: any FAT reader finds them).
    enum Name {
        static let xen = "xen", kernel = "kernel", initrd = "initrd", dtb = "board.dtb", script = "boot.cmd", scr = "boot.scr"
        static let disk = "disk.img", manifest = "manifest.json", svg = "memory-map.svg", table = "memory-map.txt", run = "run-qemu.sh"
    }

    public static func build(_ board: Board, options: Options, progress: @escaping (String) -> Void) throws -> Manifest {
        let t = options.timings
        let out = try StagedDirectory(destination: options.outDirectory, force: options.force)
        var inputs = try t.measure("inputs (package cache, reads)", own: false) {
            try BoardInputs.gather(board, cache: options.cache, scratch: out.staging, progress: progress)
        }
        var warnings: [String] = []

        // What Xen needs from this tree, for the console and the RAM.
        let (tree, model) = try t.measure("decode DTB + inspect", own: true) { () throws -> (DeviceTree, BoardModel) in
            let tree = try DTBDecoder.decode(inputs.dtb)
            return (tree, BoardModel(tree: tree, file: inputs.dtbSource, arch: board.arch, console: board.console, uartDriver: board.consoleDriverPreference))
        }
        warnings += model.blockers.map { "inspect: \($0.message)" }
        if model.console.verdict.needsXenFromSource && !(options.xenFromSource || board.xenFromSource) {
            warnings.append("inspect: console \(model.console.path ?? "?") is \(model.console.verdict.rawValue): Debian's Xen has no console on it; use `build --xen source`")
        }
        // Interrupts behind a pass-through controller (i.MX GPC): Xen and Dom0 must see the GIC as their parent.
        for bypass in try PassThroughBypass.apply(to: tree) {
            progress("\(bypass.rewritten.count) node(s) now take interrupts from \(bypass.gic) instead of \(bypass.controller) (\(bypass.compatible))")
            warnings += bypass.untouched.map { "\($0): interrupt-map still goes through \(bypass.controller) (parent #address-cells differ)" }
        }
        var sourceXen: SourceXen.Built?
        if options.xenFromSource || board.xenFromSource {
            let built = try t.measure("generate port + cross-build Xen", own: false) {
                try SourceXen.build(board: board, tree: tree, model: model, cache: options.cache, progress: progress)
            }
            sourceXen = built
            inputs = try inputs.replacingXen(built.image, source: "xen-board gen + Debian xen source (\(built.log.path))")
        }
        guard let dtuart = board.console ?? model.console.dtuart else {
            throw BuildError("\(board.name): no console UART found in the device tree; set [xen] console in \(board.file)")
        }

        // Dom0's initramfs.
        progress("composing the Dom0 initramfs")
        let withDomUs = !board.domUs.isEmpty
        var initrd = try t.measure("initramfs (cpio)", own: true) {
            try Dom0Initramfs.build(busybox: inputs.busybox, role: .dom0, epoch: options.epoch, powerOff: !withDomUs,
                                    reboot: board.dom0AfterReport == .reboot).encoded()
        }
        // DomUs: their initramfs, and the partial device tree of the devices each one owns (the host nodes get
        // xen,passthrough so Dom0 sees them disabled).
        var guests: [Guest] = []
        if withDomUs {
            let domUInitrd = try t.measure("DomU initramfs (cpio)", own: true) {
                try Dom0Initramfs.build(busybox: inputs.busybox, role: .domu, epoch: options.epoch).encoded()
            }
            let host = tree.deepCopy()
            let facts = HostFacts(model)
            for domU in board.domUs {
                var partial: [UInt8]?
                if !domU.passthrough.isEmpty {
                    let result = try t.measure("partial DTB for \(domU.name)", own: true) {
                        try Passthrough.extract(host: host, facts: facts, devices: domU.passthrough, guestAddress: .auto, allowShared: false)
                    }
                    warnings += result.warnings.map { "domu \(domU.name): \($0)" }
                    partial = try DTBEncoder.encode(result.partial)
                    for path in domU.passthrough {
                        guard let node = tree.node(at: path) else { throw BuildError("domu \(domU.name): no device \(path) in the device tree") }
                        node.setProperty("xen,passthrough", .empty)
                    }
                }
                guests.append(Guest(domU: domU, initrd: domUInitrd, partialDTB: partial))
            }
        }
        if options.gzipInitramfs { initrd = try t.measure("gzip initramfs", own: false) { try Gzip.compress(initrd) } }

        // Memory plan. The DTB's size depends on the addresses only through the module@ADDR node names: measure it
        // with the longest possible addresses first and plan for that upper bound.
        let ram = board.ram.map { [MemoryRange(name: "board-file", base: $0.base, size: $0.size)] }
            ?? model.memory.banks.enumerated().map { MemoryRange(name: "bank\($0.offset)", base: $0.element.address, size: $0.element.size) }
        var reserved = model.memory.reserved.map { MemoryRange(name: $0.source, base: $0.base, size: $0.size) }
        let direct = board.qemu?.boot == .direct
        let xenBootargs = XenCommandLine(dtuart: dtuart, dom0Memory: board.dom0Memory, dom0MaxVCPUs: board.dom0VCPUs,
                                         extra: board.xenBootargs).text
        let dom0Bootargs = (["console=hvc0 earlycon=xenboot earlyprintk=xen clk_ignore_unused rdinit=/init", board.dom0Bootargs])
            .filter { !$0.isEmpty }.joined(separator: " ")
        var placeFrom: UInt64 = ram.map(\.base).min() ?? 0
        if let first = ram.min(by: { $0.base < $1.base }), board.qemu != nil {
            if direct {
                // QEMU's -kernel loader puts Xen at the start of RAM and its -dtb copy at RAM + 128 MiB (up to 2 MiB).
                reserved.append(MemoryRange(name: "qemu -kernel/-dtb", base: first.base, size: min(first.size / 2, 0x820_0000)))
            } else {
                // QEMU hands U-Boot its own tree at the start of RAM; U-Boot relocates itself to the top.
                guard first.size >= 0x420_0000 else {
                    throw BuildError("\(board.name): RAM bank \(first.text) is smaller than the 66 MiB U-Boot needs (its tree at the start, 64 MiB for itself at the top)")
                }
                reserved.append(MemoryRange(name: "qemu dtb for u-boot", base: first.base, size: 0x20_0000))
                reserved.append(MemoryRange(name: "u-boot (relocated)", base: first.end - 0x400_0000, size: 0x400_0000))
            }
        }
        if board.qemu == nil, let first = ram.min(by: { $0.base < $1.base }) {
            // Firmware and the bootloader commonly sit in the first 2 MiB on real boards.
            placeFrom = first.base + 0x20_0000
        }
        let planStart = DispatchTime.now().uptimeNanoseconds
        let chosen = ChosenPlan(board: board, xenBootargs: xenBootargs, dom0Bootargs: dom0Bootargs, kernelSize: UInt64(inputs.kernel.count),
                                dom0InitrdSize: UInt64(initrd.count), guests: guests)
        let dtbSize = try chosen.measure(tree)
        var items: [LoadItem] = []
        if !direct {
            items.append(LoadItem(name: "xen", size: inputs.xenImage.effectiveSize, alignment: 0x20_0000))
        }
        if direct {
            // QEMU's -dtb places the tree itself (inside the reserved loader window); only its size limit applies.
            guard dtbSize <= 0x20_0000 else { throw BuildError("the DTB is \(dtbSize) bytes; Xen accepts at most 2 MiB") }
        } else {
            items.append(LoadItem(name: "dtb", size: UInt64(dtbSize), alignment: 0x1000, maxSize: 0x20_0000))
        }
        if board.dom0 {
            items.append(LoadItem(name: "kernel", size: inputs.kernelImage.effectiveSize, alignment: 0x20_0000))
            items.append(LoadItem(name: "initrd", size: UInt64(initrd.count), alignment: 0x1000))
        }
        for g in guests {
            items.append(LoadItem(name: "kernel-\(g.domU.name)", size: inputs.kernelImage.effectiveSize, alignment: 0x20_0000))
            items.append(LoadItem(name: "initrd-\(g.domU.name)", size: UInt64(g.initrd.count), alignment: 0x1000))
            if let p = g.partialDTB { items.append(LoadItem(name: "dtb-\(g.domU.name)", size: UInt64(p.count), alignment: 0x1000)) }
            if let sm = g.domU.staticMem { reserved.append(MemoryRange(name: "static-mem \(g.domU.name)", base: sm.base, size: sm.size)) }
        }
        let plan = try MemoryPlan.make(ram: ram, reserved: reserved, items: items, placeFrom: placeFrom)
        try plan.verify()
        func at(_ name: String) -> MemoryRange? { plan.placed.first { $0.name == name } }
        let kernelAt = at("kernel"), initrdAt = at("initrd")
        let dtbAt = at("dtb")

        // The DTB with /chosen filled in on the host.
        try chosen.write(into: tree) { name in at(name)?.base ?? 0 }
        let dtbBytes = try DTBEncoder.encode(tree)
        t.measure("plan memory + write /chosen + encode", own: true) {}
        t.adjustLast(seconds: Double(DispatchTime.now().uptimeNanoseconds - planStart) / 1e9)
        guard dtbBytes.count <= dtbSize else { throw BuildError("internal: DTB grew from \(dtbSize) to \(dtbBytes.count) bytes") }

        // Files.
        progress("writing \(options.outDirectory)")
        let (table, svg) = t.measure("memory map table + SVG", own: true) { (plan.table, plan.svg) }
        if let sourceXen {
            for f in sourceXen.port.files { try out.write("gen/" + f.path, f.text) }
            try out.copy(sourceXen.log, to: "xen-build.log")
        }
        try t.measure("copy files", own: false) {
            // Files of the package cache are linked, not copied (see StagedDirectory.link).
            if let file = inputs.xenFile { try out.link(file, to: Name.xen) } else { try out.write(Name.xen, inputs.xen) }
            if let file = inputs.kernelFile { try out.link(file, to: Name.kernel) } else { try out.write(Name.kernel, inputs.kernel) }
            if board.dom0 { try out.write(Name.initrd, initrd) }
            for g in guests {
                try out.write("initrd-\(g.domU.name)", g.initrd)
                if let p = g.partialDTB { try out.write("\(g.domU.name).dtb", p) }
            }
            try out.write(Name.dtb, dtbBytes)
            try out.write(Name.table, table)
            try out.write(Name.svg, svg)
        }
        var files = [Name.xen, Name.kernel, Name.dtb, Name.table, Name.svg] + (board.dom0 ? [Name.initrd] : [])
        for g in guests { files += ["initrd-\(g.domU.name)"] + (g.partialDTB != nil ? ["\(g.domU.name).dtb"] : []) }
        // Every module: (plan item, file it is loaded from, bytes).
        var loadList: [(item: String, file: String, bytes: [UInt8])] = []
        if board.dom0 { loadList += [("kernel", Name.kernel, inputs.kernel), ("initrd", Name.initrd, initrd)] }
        for g in guests {
            loadList += [("kernel-\(g.domU.name)", Name.kernel, inputs.kernel), ("initrd-\(g.domU.name)", "initrd-\(g.domU.name)", g.initrd)]
            if let p = g.partialDTB { loadList.append(("dtb-\(g.domU.name)", "\(g.domU.name).dtb", p)) }
        }
        let xenAt = at("xen")
        if let xenAt, let dtbAt {
            let loads = [BootScript.Load(file: Name.xen, address: xenAt.base), .init(file: Name.dtb, address: dtbAt.base)]
                + loadList.compactMap { l in at(l.item).map { BootScript.Load(file: l.file, address: $0.base) } }
            try out.write(Name.script, BootScript.text(board: board.name, arch: board.arch, loads: loads, xenAddress: xenAt.base, dtbAddress: dtbAt.base))
            try t.measure("mkimage boot.scr", own: false) {
                try Tools.mkimageScript(arch: board.arch, input: out.url(Name.script), output: out.url(Name.scr), epoch: options.epoch)
            }
            let scr = try [UInt8](Data(contentsOf: out.url(Name.scr)))
            progress("writing the disk image (MBR + FAT32)")
            try t.measure("disk image (MBR + FAT32, writes file data)", own: false) {
            var diskFiles: [DiskImage.File] = [.init(name: Name.scr, contents: scr), .init(name: Name.xen, contents: inputs.xen),
                                               .init(name: Name.dtb, contents: dtbBytes)]
            for l in loadList where !diskFiles.contains(where: { $0.name == l.file }) { diskFiles.append(.init(name: l.file, contents: l.bytes)) }
            try DiskImage.write(to: out.url(Name.disk), files: diskFiles, epoch: options.epoch)
            }
            files += [Name.script, Name.scr, Name.disk]
            if options.fit, let kernelAt, let initrdAt {
                let its = FITImage.its(board: board.name, arch: board.arch,
                                       xen: .init(node: "xen", description: "Xen 4.17", file: Name.xen, type: "kernel", address: xenAt.base),
                                       dtb: .init(node: "fdt", description: "board DTB with /chosen", file: Name.dtb, type: "flat_dt", address: dtbAt.base),
                                       loadables: [.init(node: "dom0-kernel", description: "Dom0 kernel", file: Name.kernel, type: "kernel", address: kernelAt.base),
                                                   .init(node: "dom0-initrd", description: "Dom0 initramfs", file: Name.initrd, type: "ramdisk", address: initrdAt.base)])
                try out.write("xen.its", its)
                try t.measure("mkimage -f xen.itb", own: false) { try Tools.mkimageFIT(its: out.url("xen.its"), output: out.url("xen.itb"), epoch: options.epoch) }
                files += ["xen.its", "xen.itb"]
            }
        }
        var qemuArgs: [String]?
        if let q = board.qemu {
            let cmd = QEMUCommand.make(board: board, qemu: q, xen: Name.xen, dtb: Name.dtb,
                                       directLoads: direct ? loadList.compactMap { l in at(l.item).map { (l.file, $0.base) } } : [],
                                       disk: direct ? nil : Name.disk)
            try out.write(Name.run, cmd.script, executable: true)
            files.append(Name.run)
            qemuArgs = [cmd.executable] + cmd.arguments
        }
        let loader = direct ? "qemu loader" : (board.qemu != nil ? "u-boot" : "bootloader")
        var modules: [Manifest.Module] = []
        // One digest per output file: a DomU sharing Dom0's kernel file does not hash it again.
        var digests: [String: String] = [:]
        func module(_ name: String, _ file: String, _ range: MemoryRange, _ bytes: [UInt8], _ by: String) throws {
            let sum = try digests[file] ?? t.measure("sha256 \(file)", own: false) { try Tools.sha256(bytes) }
            digests[file] = sum
            modules.append(.init(name: name, file: file, loadAddress: range.base, size: range.size, end: range.end, sha256: sum, loadedBy: by))
        }
        if let xenAt { try module("xen", Name.xen, xenAt, inputs.xen, loader) }
        if let dtbAt { try module("dtb", Name.dtb, dtbAt, dtbBytes, loader) }
        for l in loadList { if let r = at(l.item) { try module(l.item, l.file, r, l.bytes, loader) } }
        let manifest = Manifest(board: board.name, arch: board.arch.rawValue, status: board.status.rawValue, consoleUART: model.console.path,
                                xenBootargs: xenBootargs, dom0Bootargs: dom0Bootargs, inputs: inputs.manifestInputs, modules: modules,
                                ram: ram, reserved: reserved, files: (files + [Name.manifest]).sorted(), qemu: qemuArgs,
                                expectedCPUs: board.qemu?.smp, warnings: warnings,
                                domains: (board.dom0 ? ["dom0"] : []) + board.domUs.map(\.name),
                                expectsReset: board.dom0AfterReport == .reboot && board.dom0 && board.domUs.isEmpty ? true : nil)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try out.write(Name.manifest, String(decoding: try enc.encode(manifest), as: UTF8.self) + "\n")
        try out.commit()
        return manifest
    }

    /// Fetches (or finds in the cache) everything `build` reads for a board, without building: for offline use
    /// and for test setup. Returns one line per input.
    public static func fetchInputs(_ board: Board, cache: URL? = nil, progress: @escaping (String) -> Void) throws -> [String] {
        let scratch = try StaleStaging.scratchDirectory("fetch")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputs = try BoardInputs.gather(board, cache: cache, scratch: scratch, progress: progress)
        return inputs.manifestInputs.map { "\($0.role): \($0.source)" }
    }

}
