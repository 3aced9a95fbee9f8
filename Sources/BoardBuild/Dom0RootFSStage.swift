import BoardFile
import Foundation
import ImageComposer
import Infrastructure
import RootFilesystem

extension Builder {
    /// Dom0's ramdisk for `[dom0] rootfs` other than "report": the user's cpio(.gz) as it is; for the user's ext4
    /// image, the disk-root initramfs (the image itself becomes a disk: `disk`); or the toolstack root filesystem
    /// (cached gzip cpio) followed by the archive with its `/init` (the kernel unpacks both in order).
    /// `pv`: what Dom0 attaches to the dom0less guests; `guestChecks`: the PV checks of `[[guest]]` report systems.
    static func dom0RootFSRamdisk(_ board: Board, host: inout HostStage, options: Options, pv: PVAttachPlan = PVAttachPlan(),
                                  guestChecks: [String: GuestPVCheck] = [:], progress: (String) -> Void) throws -> (ramdisk: [UInt8], disk: URL?) {
        let t = options.timings
        switch board.dom0RootFS {
        case .report:
            throw BuildError("internal: the report initramfs is composed by composeGuests")
        case .path(let path):
            let origin = "\(board.file):\(board.line(of: "dom0.rootfs"))"
            if try UserRootFS.kind(path: path, origin: origin, key: "rootfs") == .ext4 {
                return (try diskRootRamdisk(board, path: path, host: &host, options: options, progress: progress), URL(fileURLWithPath: path))
            }
            let (bytes, kind) = try UserRootFS.ramdisk(path: path, origin: origin)
            progress("Dom0 ramdisk: \(path) (\(kind.rawValue), \(bytes.count) bytes)")
            host.inputs.manifestInputs.append(.init(role: "dom0 rootfs", source: path, sha256: try Tools.sha256(bytes)))
            return (bytes, nil)
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
            let guests = try xlGuestFiles(board, host: &host, options: options, pv: guestChecks)
            var initArchive = try t.measure("toolstack /init (cpio)", own: true) {
                try ToolstackInit.archive(rootfs.description.layout, guests: guests.guests, epoch: options.epoch, powerOff: board.domUs.isEmpty,
                                          reboot: board.dom0AfterReport == .reboot, pv: pv).encoded()
            }
            if !guests.guests.isEmpty {
                progress("Dom0 ramdisk: \(guests.guests.count) [[guest]] configuration(s) and \(guests.files.count) file(s) under /\(XLGuestFiles.directory)")
                initArchive = appending(initArchive, try XLGuests.archive(guests.guests, files: guests.files, epoch: options.epoch).encoded())
            }
            if options.gzipInitramfs { initArchive = try Gzip.compress(initArchive) }
            return (appending(rootfs.archive, initArchive), nil)
        }
    }

    /// The initramfs that mounts Dom0's ext4 image (found by its UUID) and switches to it, with the Dom0 kernel
    /// package's modules for the disk and ext4.
    static func diskRootRamdisk(_ board: Board, path: String, host: inout HostStage, options: Options, progress: (String) -> Void) throws -> [UInt8] {
        let origin = "\(board.file):\(board.line(of: "dom0.rootfs"))"
        guard let kernel = host.inputs.kernelPackage else {
            throw board.error(at: "dom0.rootfs", "an ext4 rootfs needs Debian's Dom0 kernel (its virtio and ext4 modules for the initramfs that mounts it): remove [dom0] kernel")
        }
        let superblock = try Ext4Superblock(path: path, origin: origin)
        // Read in chunks: an image may be gigabytes.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        host.inputs.manifestInputs.append(.init(role: "dom0 rootfs (ext4 disk)", source: path, sha256: try SHA256.hex(ofFile: URL(fileURLWithPath: path))))
        let scratch = try StaleStaging.scratchDirectory("disk-root")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var archive = try options.timings.measure("disk-root initramfs (modules, cpio)", own: true) {
            try DiskRootInitramfs.build(busybox: host.inputs.busybox, kernelRoot: kernel.root, uuid: superblock.uuid, epoch: options.epoch,
                                        scratch: scratch).encoded()
        }
        progress("Dom0 root filesystem: \(path) (ext4, UUID \(superblock.uuid), \(size) bytes) as a disk; initramfs with \(DiskRootInitramfs.modules.joined(separator: ", ")) mounts it")
        if options.gzipInitramfs { archive = try Gzip.compress(archive) }
        return archive
    }

    /// Two archives as one initramfs (the kernel unpacks them in order): an archive after a compressed one must start
    /// 4-byte aligned; the zeros in between are skipped.
    static func appending(_ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        first + [UInt8](repeating: 0, count: (4 - first.count % 4) % 4) + second
    }

    /// A DomU's own cpio(.gz) initramfs (`[[domu]] rootfs` or `initrd`), as it is; nil for the report system.
    /// An ext4 `rootfs` is a PV disk served by a toolstack Dom0's blkback (`domURootDisks`), never a ramdisk.
    static func domURamdisk(_ board: Board, _ domU: Board.DomU, host: inout HostStage) throws -> [UInt8]? {
        let origin = { (key: String) in "\(board.file):\(domU.line(of: key))" }
        if let rootfs = domU.rootfs {
            let kind = try UserRootFS.kind(path: rootfs, origin: origin("rootfs"), key: "rootfs")
            guard kind != .ext4 else {
                throw RootFilesystemError("\(origin("rootfs")): rootfs \(rootfs) is an ext4 image; serving it to domu '\(domU.name)' as its disk needs Dom0's blkback: set rootfs = \"toolstack\" in [dom0] and enhanced = \"enabled\" in this [[domu]]")
            }
            if let initrd = domU.initrd {
                throw RootFilesystemError("\(origin("initrd")): initrd \(initrd) is the initramfs for an ext4 rootfs, but rootfs \(rootfs) is itself a cpio initramfs: keep one of them")
            }
        }
        guard let path = domU.rootfs ?? domU.initrd else { return nil }
        let key = domU.rootfs != nil ? "rootfs" : "initrd"
        let (bytes, _) = try UserRootFS.ramdisk(path: path, origin: origin(key), key: key)
        host.inputs.manifestInputs.append(.init(role: "domu \(domU.name) \(key)", source: path, sha256: try Tools.sha256(bytes)))
        return bytes
    }
}
