import BoardFile
import DeviceTree
import Foundation
import ImageComposer
import Infrastructure

/// A module a bootloader (or QEMU's loader) loads: its plan item, the output file it comes from, its bytes.
struct ModuleLoad {
    let item: PlanItem
    let file: String
    let bytes: [UInt8]
}

extension Builder {
    /// Stage 4, host tree: /chosen (and the DomU nodes) written at the planned addresses, then encoded.
    static func writeHostTree(_ tree: DeviceTree, memory: MemoryStage) throws -> [UInt8] {
        try memory.chosen.write(into: tree) { try memory.plan.address(of: $0) }
        let bytes = try DTBEncoder.encode(tree)
        guard bytes.count <= memory.dtbSize else { throw BuildError("internal: DTB grew from \(memory.dtbSize) to \(bytes.count) bytes") }
        return bytes
    }

    /// Stage 5, outputs: every file of the output directory, the boot media, QEMU's script and the manifest.
    static func writeOutputs(_ board: Board, host: HostStage, guests: GuestStage, memory: MemoryStage, dtb: [UInt8],
                             options: Options, into out: StagedDirectory, progress: (String) -> Void) throws -> Manifest {
        let loads = moduleLoads(board, host: host, guests: guests)
        var files = try writeFiles(board, host: host, guests: guests, memory: memory, dtb: dtb, options: options, into: out)
        files += try writeBootMedia(board, host: host, memory: memory, dtb: dtb, loads: loads, options: options, into: out, progress: progress)
        var qemuArgs: [String]?
        if let q = board.qemu {
            let cmd = QEMUCommand.make(board: board, qemu: q, xen: Name.xen, dtb: Name.dtb,
                                       directLoads: memory.direct ? loads.compactMap { l in memory.plan[l.item].map { (l.file, $0.base) } } : [],
                                       disk: memory.direct ? nil : Name.disk, drives: guests.dom0Disk == nil ? [] : [Name.rootfsDisk])
            try out.write(Name.run, cmd.script, executable: true)
            files.append(Name.run)
            qemuArgs = [cmd.executable] + cmd.arguments
        }
        let manifest = Manifest(board: board.name, arch: board.arch.rawValue, status: board.status.rawValue, consoleUART: host.model.console.path,
                                xenBootargs: memory.xenBootargs, dom0Bootargs: memory.dom0Bootargs, inputs: host.inputs.manifestInputs,
                                modules: try manifestModules(board, host: host, memory: memory, dtb: dtb, loads: loads, timings: options.timings),
                                ram: memory.ram, reserved: memory.reserved, files: (files + [Name.manifest]).sorted(), qemu: qemuArgs,
                                expectedCPUs: board.qemu?.smp, warnings: host.warnings,
                                domains: (board.dom0 ? ["dom0"] : []) + board.domUs.map(\.name),
                                expectsReset: board.dom0AfterReport == .reboot && board.dom0 && board.domUs.isEmpty ? true : nil,
                                toolstack: board.dom0RootFS == .toolstack ? true : nil,
                                guests: board.guests.isEmpty ? nil : board.guests.map(\.name),
                                pv: guests.pv.expectations.isEmpty ? nil : guests.pv.expectations)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try out.write(Name.manifest, String(decoding: try enc.encode(manifest), as: UTF8.self) + "\n")
        return manifest
    }

    /// Dom0's kernel and initramfs, then each DomU's kernel (its own `kernel-NAME`, else Dom0's file), initramfs and
    /// partial tree.
    static func moduleLoads(_ board: Board, host: HostStage, guests: GuestStage) -> [ModuleLoad] {
        var loads: [ModuleLoad] = []
        if board.dom0 {
            loads += [ModuleLoad(item: .kernel, file: Name.kernel, bytes: host.inputs.kernel),
                      ModuleLoad(item: .initrd, file: Name.initrd, bytes: guests.dom0Initrd)]
        }
        for g in guests.guests {
            let name = g.domU.name
            loads += [ModuleLoad(item: .guestKernel(name), file: g.kernelFile, bytes: g.kernel?.bytes ?? host.inputs.kernel),
                      ModuleLoad(item: .guestInitrd(name), file: "initrd-\(name)", bytes: g.initrd)]
            if let p = g.partialDTB { loads.append(ModuleLoad(item: .guestDTB(name), file: "\(name).dtb", bytes: p)) }
        }
        return loads
    }

    /// The images, the DTB and the memory map; returns the names written.
    static func writeFiles(_ board: Board, host: HostStage, guests: GuestStage, memory: MemoryStage, dtb: [UInt8],
                           options: Options, into out: StagedDirectory) throws -> [String] {
        let t = options.timings
        let (table, svg) = t.measure("memory map table + SVG", own: true) { (memory.plan.table, memory.plan.svg) }
        if let sourceXen = host.sourceXen {
            for f in sourceXen.port.files { try out.write("gen/" + f.path, f.text) }
            try out.copy(sourceXen.log, to: "xen-build.log")
        }
        let inputs = host.inputs
        var files = [Name.xen, Name.kernel, Name.dtb, Name.table, Name.svg] + (board.dom0 ? [Name.initrd] : [])
        try t.measure("copy files", own: false) {
            // Files of the package cache are linked, not copied (see StagedDirectory.link).
            if let file = inputs.xenFile { try out.link(file, to: Name.xen) } else { try out.write(Name.xen, inputs.xen) }
            if let file = inputs.kernelFile { try out.link(file, to: Name.kernel) } else { try out.write(Name.kernel, inputs.kernel) }
            if board.dom0 { try out.write(Name.initrd, guests.dom0Initrd) }
            if let disk = guests.dom0Disk {
                try out.copy(disk, to: Name.rootfsDisk)
                files.append(Name.rootfsDisk)
            }
            for g in guests.guests {
                if let k = g.kernel {
                    try out.write(g.kernelFile, k.bytes)
                    files.append(g.kernelFile)
                }
                try out.write("initrd-\(g.domU.name)", g.initrd)
                files.append("initrd-\(g.domU.name)")
                if let p = g.partialDTB {
                    try out.write("\(g.domU.name).dtb", p)
                    files.append("\(g.domU.name).dtb")
                }
            }
            try out.write(Name.dtb, dtb)
            try out.write(Name.table, table)
            try out.write(Name.svg, svg)
        }
        return files
    }
}
