import BoardFile
import Foundation
import ImageComposer
import RootFilesystem

extension Builder {
    /// Dom0's ramdisk for `[dom0] rootfs` other than "report": the user's cpio(.gz) as it is, or the toolstack root
    /// filesystem (cached gzip cpio) followed by the archive with its `/init` (the kernel unpacks both in order).
    static func dom0RootFSRamdisk(_ board: Board, host: inout HostStage, options: Options, pv: PVAttachPlan = PVAttachPlan(),
                                  progress: (String) -> Void) throws -> [UInt8] {
        let t = options.timings
        switch board.dom0RootFS {
        case .report:
            throw BuildError("internal: the report initramfs is composed by composeGuests")
        case .path(let path):
            let origin = "\(board.file):\(board.line(of: "dom0.rootfs"))"
            let (bytes, kind) = try UserRootFS.ramdisk(path: path, origin: origin)
            progress("Dom0 ramdisk: \(path) (\(kind.rawValue), \(bytes.count) bytes)")
            host.inputs.manifestInputs.append(.init(role: "dom0 rootfs", source: path, sha256: try Tools.sha256(bytes)))
            return bytes
        case .toolstack:
            guard let kernel = host.inputs.kernelPackage else {
                throw board.error(at: "dom0.rootfs", "rootfs = \"toolstack\" needs Debian's Dom0 kernel (its modules): remove [dom0] kernel")
            }
            let packages = try BoardInputs.packageCache(for: board.xenVersion, root: options.cache)
            let rootfs = try t.measure("toolstack root filesystem", own: false) {
                try ToolstackRootFS.build(packages: packages, arch: board.arch.debianArchitecture, xenVersion: board.xenVersion.rawValue,
                                          kernel: kernel, epoch: options.epoch, progress: progress)
            }
            host.inputs.manifestInputs.append(.init(role: "dom0 rootfs", source: "toolstack: \(rootfs.description.packages.count) Debian packages (set \(rootfs.description.key.prefix(24)))",
                                                    sha256: try Tools.sha256(rootfs.archive)))
            let guests = try xlGuestFiles(board, host: &host, options: options)
            var initArchive = try t.measure("toolstack /init (cpio)", own: true) {
                try ToolstackInit.archive(rootfs.description.layout, guests: guests.guests, epoch: options.epoch, powerOff: board.domUs.isEmpty,
                                          reboot: board.dom0AfterReport == .reboot, pv: pv).encoded()
            }
            if !guests.guests.isEmpty {
                progress("Dom0 ramdisk: \(guests.guests.count) [[guest]] configuration(s) and \(guests.files.count) file(s) under /\(XLGuestFiles.directory)")
                initArchive = appending(initArchive, try XLGuests.archive(guests.guests, files: guests.files, epoch: options.epoch).encoded())
            }
            if options.gzipInitramfs { initArchive = try Gzip.compress(initArchive) }
            return appending(rootfs.archive, initArchive)
        }
    }

    /// Two archives as one initramfs (the kernel unpacks them in order): an archive after a compressed one must start
    /// 4-byte aligned; the zeros in between are skipped.
    static func appending(_ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        first + [UInt8](repeating: 0, count: (4 - first.count % 4) % 4) + second
    }

    /// A DomU's own cpio(.gz) initramfs (`[[domu]] rootfs`), as it is.
    static func domURamdisk(_ board: Board, _ domU: Board.DomU, path: String, host: inout HostStage) throws -> [UInt8] {
        let (bytes, _) = try UserRootFS.ramdisk(path: path, origin: "\(board.file):\(domU.line(of: "rootfs"))")
        host.inputs.manifestInputs.append(.init(role: "domu \(domU.name) rootfs", source: path, sha256: try Tools.sha256(bytes)))
        return bytes
    }
}
