import BoardFile
import Foundation
import ImageComposer
import Infrastructure
import RootFilesystem

extension Builder {
    /// `[[domu]] rootfs` naming an ext4 image: the image becomes one more of the DomU's PV disks (the first free
    /// `xvdX`, read-write), which Dom0's blkback serves once init-dom0less has connected the guest; the DomU's
    /// ramdisk is the user's `initrd`, else a generated one that loads xen-blkfront and ext4 and mounts the disk by
    /// the image's UUID. Returns the board with those disks and the UUID of each DomU that gets the generated ramdisk.
    static func domURootDisks(_ board: Board) throws -> (Board, [String: String]) {
        var result = board
        var uuids: [String: String] = [:]
        for (i, d) in board.domUs.enumerated() {
            guard let rootfs = d.rootfs else { continue }
            let origin = "\(board.file):\(d.line(of: "rootfs"))"
            guard try UserRootFS.kind(path: rootfs, origin: origin, key: "rootfs") == .ext4 else { continue }
            guard board.dom0RootFS == .toolstack, d.enhanced == "enabled" else {
                throw board.error(line: d.line(of: "rootfs"), "rootfs \(rootfs) is an ext4 image; serving it to domu '\(d.name)' as its disk needs Dom0's blkback: set rootfs = \"toolstack\" in [dom0] and enhanced = \"enabled\" in this [[domu]]")
            }
            // The generated ramdisk's modules come from Debian's kernel package: they would not load into another kernel.
            if d.initrd == nil, case .path(let kernel) = d.kernel {
                throw board.error(line: d.line(of: "kernel"), "domu '\(d.name)' runs its own kernel \(kernel), but the initramfs generated for its ext4 rootfs loads xen-blkfront and ext4 from Debian's kernel package, which would not match it: give this [[domu]] an initrd made for its kernel, or drop kernel")
            }
            let used = Set(d.disks.map(\.vdev))
            guard let vdev = (0..<26).map({ "xvd" + String(UnicodeScalar(UInt8(97 + $0))) }).first(where: { !used.contains($0) }) else {
                throw board.error(line: d.line(of: "disk"), "domu '\(d.name)': no free xvdX for its ext4 rootfs")
            }
            do {
                result.domUs[i].disks.append(try DiskSpec("format=raw,vdev=\(vdev),access=rw,target=\(rootfs)"))
            } catch {
                throw board.error(line: d.line(of: "rootfs"), "domu '\(d.name)' rootfs \(rootfs): \(error)")
            }
            result.domUs[i].rootfs = nil
            if d.initrd == nil { uuids[d.name] = try Ext4Superblock(path: rootfs, origin: origin).uuid }
        }
        return (result, uuids)
    }

    /// The generated ramdisk of a DomU whose root is an ext4 PV disk: waits up to 300 s for the disk (Dom0 attaches
    /// it after its own boot).
    static func domUDiskRootRamdisk(_ board: Board, _ domU: Board.DomU, uuid: String, host: HostStage, options: Options) throws -> [UInt8] {
        guard let kernel = host.inputs.kernelPackage else {
            throw board.error(line: domU.line(of: "rootfs"), "domu '\(domU.name)': an ext4 rootfs needs Debian's kernel package (xen-blkfront and ext4 modules): remove [dom0] kernel")
        }
        let scratch = try StaleStaging.scratchDirectory("domu-disk-root")
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try options.timings.measure("DomU \(domU.name) disk-root initramfs", own: true) {
            try DiskRootInitramfs.build(busybox: host.inputs.busybox, kernelRoot: kernel.root, uuid: uuid, epoch: options.epoch, scratch: scratch,
                                        modules: DiskRootInitramfs.domUModules, waitSeconds: 300).encoded()
        }
    }
}
