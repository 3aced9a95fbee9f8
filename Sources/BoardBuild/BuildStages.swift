import BoardFile
import BoardModel
import DeviceTree
import Foundation
import ImageComposer
import Passthrough
import XenArm

/// Stage 1, inputs: the packages and files `build` reads, the board's tree and what its model says.
struct HostStage {
    var inputs: BoardInputs
    let tree: DeviceTree
    let model: BoardModel
    /// The console Xen's `dtuart=` names (the board file's, else the tree's stdout-path UART).
    let dtuart: String
    let sourceXen: SourceXen.Built?
    var warnings: [String]
}

/// Stage 2, guests: Dom0's initramfs and each DomU's initramfs and partial tree.
struct GuestStage {
    let dom0Initrd: [UInt8]
    let guests: [Guest]
    /// The guests' PV devices (empty without `vif` / `disk`).
    var pv = PVStage()
    /// Dom0's ext4 root filesystem, served as a disk (`[dom0] rootfs` naming an ext4 image).
    var dom0Disk: URL? = nil
}

extension Builder {
    static func gatherInputs(_ board: Board, options: Options, scratch: URL, progress: @escaping (String) -> Void) throws -> HostStage {
        let t = options.timings
        var inputs = try t.measure("inputs (package cache, reads)", own: false) {
            try BoardInputs.gather(board, cache: options.cache, scratch: scratch,
                                   prebuiltXen: !(options.xenFromSource || board.xenFromSource), progress: progress)
        }
        // What Xen needs from this tree, for the console and the RAM.
        let (tree, model) = try t.measure("decode DTB + inspect", own: true) { () throws -> (DeviceTree, BoardModel) in
            let tree = try DTBDecoder.decode(inputs.dtb)
            return (tree, BoardModel(tree: tree, file: inputs.dtbSource, arch: board.arch, console: board.console, uartDriver: board.consoleDriverPreference,
                                version: board.xenVersion))
        }
        var warnings = model.blockers.map { "inspect: \($0.message)" }
        try BoardChecks.check(board, tree: tree, model: model)
        if model.console.verdict.needsXenFromSource && !(options.xenFromSource || board.xenFromSource) {
            warnings.append("inspect: console \(model.console.path ?? "?") is \(model.console.verdict.rawValue): Debian's Xen has no console on it; use `build --xen source`")
        }
        warnings += try bypassInterruptControllers(tree, progress: progress)
        guard let dtuart = board.console ?? model.console.dtuart else {
            throw BuildError("\(board.name): no console UART found in the device tree; set [xen] console in \(board.file)")
        }
        var sourceXen: SourceXen.Built?
        if options.xenFromSource || board.xenFromSource {
            let built = try t.measure("generate port + cross-build Xen", own: false) {
                try SourceXen.build(board: board, tree: tree, model: model, cache: options.cache, epoch: options.epoch.seconds, progress: progress)
            }
            sourceXen = built
            inputs = try inputs.replacingXen(built.image, source: "xen-board gen + Debian xen source (\(built.log.path))")
        }
        return HostStage(inputs: inputs, tree: tree, model: model, dtuart: dtuart, sourceXen: sourceXen, warnings: warnings)
    }

    /// Interrupts behind a pass-through controller (i.MX GPC): Xen and Dom0 must see the GIC as their parent.
    /// Returns warnings for the nodes it could not rewrite.
    static func bypassInterruptControllers(_ tree: DeviceTree, progress: (String) -> Void) throws -> [String] {
        var warnings: [String] = []
        for bypass in try PassThroughBypass.apply(to: tree) {
            progress("\(bypass.rewritten.count) node(s) now take interrupts from \(bypass.gic) instead of \(bypass.controller) (\(bypass.compatible))")
            warnings += bypass.untouched.map { "\($0): interrupt-map still goes through \(bypass.controller) (parent #address-cells differ)" }
        }
        return warnings
    }

    static func composeGuests(_ board: Board, host: inout HostStage, options: Options, progress: (String) -> Void) throws -> GuestStage {
        progress("composing the Dom0 initramfs")
        let t = options.timings
        if board.dom0RootFS != .report {
            let (disks, diskRoots) = try domURootDisks(board)
            let pv = try pvDevices(disks, host: host, ownInit: Set(diskRoots.keys))
            let (initrd, disk) = try dom0RootFSRamdisk(board, host: &host, options: options, pv: pv.dom0, guestChecks: pv.guests, progress: progress)
            let guests = board.domUs.isEmpty ? [] : try domUGuests(disks, host: &host, options: options, pv: pv.guests, diskRoots: diskRoots)
            return GuestStage(dom0Initrd: initrd, guests: guests, pv: pv, dom0Disk: disk)
        }
        var initrd = try t.measure("initramfs (cpio)", own: true) {
            try Dom0Initramfs.build(busybox: host.inputs.busybox, role: .dom0, epoch: options.epoch, powerOff: board.domUs.isEmpty,
                                    reboot: board.dom0AfterReport == .reboot).encoded()
        }
        let guests = board.domUs.isEmpty ? [] : try domUGuests(board, host: &host, options: options)
        if options.gzipInitramfs { initrd = try t.measure("gzip initramfs", own: false) { try Gzip.compress(initrd) } }
        return GuestStage(dom0Initrd: initrd, guests: guests)
    }

    /// Each DomU's initramfs, and the partial device tree of the devices it owns (the host nodes get
    /// xen,passthrough so Dom0 sees them disabled).
    /// `pv`: the report system of a guest with PV devices also checks them (its own initramfs, with the frontends).
    static func domUGuests(_ board: Board, host: inout HostStage, options: Options, pv: [String: GuestPVCheck] = [:],
                           diskRoots: [String: String] = [:]) throws -> [Guest] {
        let t = options.timings
        let initrd = try t.measure("DomU initramfs (cpio)", own: true) {
            try Dom0Initramfs.build(busybox: host.inputs.busybox, role: .domu, epoch: options.epoch).encoded()
        }
        // Every DomU's devices are taken from the tree as it was before any was marked.
        let snapshot = host.tree.deepCopy()
        let facts = HostFacts(host.model)
        return try board.domUs.map { domU in
            let initrd = try diskRoots[domU.name].map { try domUDiskRootRamdisk(board, domU, uuid: $0, host: host, options: options) }
                ?? domURamdisk(board, domU, host: &host)
                ?? pv[domU.name].map { try Dom0Initramfs.build(busybox: host.inputs.busybox, role: .domu, epoch: options.epoch, pv: $0).encoded() }
                ?? initrd
            let kernel = try domUKernel(board, domU, host: &host)
            guard !domU.passthrough.isEmpty else { return Guest(domU: domU, initrd: initrd, partialDTB: nil, kernel: kernel) }
            let result = try t.measure("partial DTB for \(domU.name)", own: true) {
                try Passthrough.extract(host: snapshot, facts: facts, devices: domU.passthrough, guestAddress: .auto, allowShared: false)
            }
            host.warnings += result.warnings.map { "domu \(domU.name): \($0)" }
            for path in domU.passthrough {
                guard let node = host.tree.node(at: path) else { throw BuildError("domu \(domU.name): no device \(path) in the device tree") }
                node.setProperty("xen,passthrough", .empty)
            }
            return Guest(domU: domU, initrd: initrd, partialDTB: try DTBEncoder.encode(result.partial), kernel: kernel)
        }
    }

    /// A DomU's own kernel; nil for `"debian"` (the default), which boots the file Dom0 boots (`kernel`).
    static func domUKernel(_ board: Board, _ domU: Board.DomU, host: inout HostStage) throws -> GuestKernel? {
        guard case .path(let p) = domU.kernel else { return nil }
        return try ownKernel(board, role: "domu '\(domU.name)'", path: p, line: domU.line(of: "kernel"), host: &host)
    }
}
