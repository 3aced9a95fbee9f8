import BoardFile
import BootInputs
import Foundation
import ImageComposer
import RootFilesystem

/// The `[[guest]]`s of a toolstack Dom0: each one's xl configuration and the files it names, placed under
/// `var/lib/xen/images` of Dom0's root filesystem (the default kernel and report initramfs once for all guests).
struct XLGuestFiles {
    static let directory = "var/lib/xen/images"

    private(set) var guests: [XLGuest] = []
    private(set) var files: [(path: String, bytes: [UInt8])] = []

    /// `path` (relative) holding `bytes`, added once; returns the absolute path the guest's configuration names.
    mutating func place(_ path: String, _ bytes: () throws -> [UInt8]) rethrows -> String {
        if !files.contains(where: { $0.path == path }) { files.append((path, try bytes())) }
        return "/" + path
    }

    mutating func add(_ guest: XLGuest) { guests.append(guest) }
}

extension Builder {
    /// Each `[[guest]]` as Dom0's toolstack starts it: the board's DomU kernel (or the guest's own, checked to be a
    /// kernel of the board's architecture) and the busybox report system (or the guest's own cpio(.gz)).
    /// `pv`: a guest with a vif checks it in its own report system (with xen-netfront).
    static func xlGuestFiles(_ board: Board, host: inout HostStage, options: Options, pv: [String: GuestPVCheck] = [:]) throws -> XLGuestFiles {
        var placed = XLGuestFiles()
        let dir = XLGuestFiles.directory
        for g in board.guests {
            let kernel: String
            switch g.kernel {
            case .debian: kernel = placed.place(dir + "/debian-kernel") { host.inputs.kernel }
            case .path(let p): kernel = try placed.place(dir + "/\(g.name)/kernel") {
                try ownKernel(board, role: "guest '\(g.name)'", path: p, line: g.line(of: "kernel"), host: &host).bytes
            }
            }
            let ramdisk: String
            if let p = g.ramdisk {
                let (bytes, _) = try UserRootFS.ramdisk(path: p, origin: "\(board.file):\(g.line(of: "ramdisk"))", key: "ramdisk")
                host.inputs.manifestInputs.append(.init(role: "guest \(g.name) ramdisk", source: p, sha256: try Tools.sha256(bytes)))
                ramdisk = placed.place(dir + "/\(g.name)/ramdisk") { bytes }
            } else if let check = pv[g.name] {
                let busybox = host.inputs.busybox
                ramdisk = try placed.place(dir + "/\(g.name)/report-initrd") {
                    try Dom0Initramfs.build(busybox: busybox, role: .domu, epoch: options.epoch, powerOff: false, pv: check).encoded()
                }
            } else {
                let busybox = host.inputs.busybox
                // The guest stays up after its report, so that Dom0's `xl list` shows it.
                ramdisk = try placed.place(dir + "/report-initrd") {
                    try Dom0Initramfs.build(busybox: busybox, role: .domu, epoch: options.epoch, powerOff: false).encoded()
                }
            }
            var guest = XLGuest(name: g.name, memoryMiB: g.memoryMiB, vcpus: g.vcpus, kernel: kernel, ramdisk: ramdisk,
                                cmdline: "console=hvc0" + (g.extra.isEmpty ? "" : " " + g.extra))
            guest.vifs = g.vifs.map(\.xl)
            placed.add(guest)
        }
        return placed
    }
}
