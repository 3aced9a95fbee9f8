import Foundation
import ImageComposer

/// Dom0's initramfs for an ext4 root filesystem served as a disk (`[dom0] rootfs = "root.ext4"`): Debian's kernels
/// build virtio-mmio, virtio-blk and ext4 as modules, so a small archive (static busybox, those modules and what
/// they need, an `/init`) loads them in modules.dep order with `insmod`, finds the disk by the image's UUID, mounts
/// it and hands over with `switch_root` to the image's own init.
public enum DiskRootInitramfs {
    /// The modules loaded (with their dependencies): the virtio-mmio transport and block driver QEMU's virt machine
    /// gives Dom0 the disk through, crc32c (ext4's soft dependency, `MODULE_SOFTDEP("pre: crc32c")`, which
    /// modules.dep does not list: without it "EXT4-fs: Cannot load crc32c driver") and ext4 (CONFIG_VIRTIO_MMIO,
    /// CONFIG_VIRTIO_BLK, CONFIG_CRYPTO_CRC32C, CONFIG_EXT4_FS = m in Debian 12's arm64 and armmp-lpae kernels).
    /// One built into the kernel is skipped.
    public static let modules = ["virtio_mmio", "virtio_blk", "crc32c_generic", "ext4"]

    /// busybox applets `/init` runs.
    static let applets = ["sh", "mount", "umount", "mkdir", "insmod", "findfs", "switch_root", "usleep", "echo", "poweroff", "cat"]

    /// What a DomU needs for its ext4 root on a PV disk: Xen's block frontend (CONFIG_XEN_BLKDEV_FRONTEND = m) instead
    /// of virtio.
    public static let domUModules = ["xen-blkfront", "crc32c_generic", "ext4"]

    /// The uncompressed newc archive, modules taken from Debian's unpacked kernel package at `kernelRoot`;
    /// `waitSeconds`: how long `/init` waits for the disk (a DomU's PV disk appears only once Dom0 attaches it).
    public static func build(busybox: [UInt8], kernelRoot: URL, uuid: String, epoch: SourceDateEpoch, scratch: URL,
                             modules: [String] = modules, waitSeconds: Int = 30) throws -> CPIOArchive {
        let selected = try KernelModules.select(modules, kernelRoot: kernelRoot, scratch: scratch)
        var a = CPIOArchive(epoch: epoch)
        for dir in ["bin", "dev", "proc", "sys", "newroot"] { try a.addDirectory(dir) }
        try a.addFile("bin/busybox", contents: busybox, permissions: 0o755)
        for applet in applets { try a.addSymlink("bin/\(applet)", target: "busybox") }
        try a.addCharacterDevice("dev/console", major: 5, minor: 1, permissions: 0o600)
        try a.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
        var directories = Set<String>()
        for file in selected.files {
            var parent = ""
            for component in (selected.directory + "/" + file).split(separator: "/").dropLast() {
                parent += (parent.isEmpty ? "" : "/") + component
                if directories.insert(parent).inserted { try a.addDirectory(parent) }
            }
            guard let data = FileManager.default.contents(atPath: kernelRoot.appendingPathComponent(selected.directory + "/" + file).path) else {
                throw RootFilesystemError("\(kernelRoot.path)/\(selected.directory)/\(file): cannot be read")
            }
            try a.addFile(selected.directory + "/" + file, contents: [UInt8](data))
        }
        let paths = selected.loadOrder.map { "/" + selected.directory + "/" + $0 }
        try a.addFile("init", contents: Array(script(modules: paths, uuid: uuid, waitSeconds: waitSeconds).utf8), permissions: 0o755)
        return a
    }

    /// `/init`: modules, the disk by UUID (waiting up to `waitSeconds` for it to appear), mount, switch_root to the
    /// first of /sbin/init, /etc/init, /bin/init, /init, /bin/sh the image has. On failure it says why and powers off.
    static func script(modules: [String], uuid: String, waitSeconds: Int = 30) -> String {
        """
        #!/bin/sh
        # xen-board: Dom0's root filesystem is an ext4 image on a disk (UUID \(uuid)): load the modules, mount it, switch_root.
        export PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        fail() { echo "xen-board: $*"; poweroff -f; }
        for m in \(modules.joined(separator: " ")); do insmod "$m" || echo "xen-board: insmod $m failed"; done
        n=0
        while ! dev=$(findfs UUID=\(uuid) 2>/dev/null) && [ $n -lt \(waitSeconds * 10) ]; do usleep 100000; n=$((n + 1)); done
        [ -n "$dev" ] || fail "no disk holds the root filesystem (ext4 UUID \(uuid)) after \(waitSeconds) s"
        mount -t ext4 "$dev" /newroot || fail "cannot mount $dev (ext4 UUID \(uuid))"
        echo "xen-board: root filesystem $dev (ext4 UUID \(uuid))"
        init=
        for i in /sbin/init /etc/init /bin/init /init /bin/sh; do
          if [ -x "/newroot$i" ] || [ -L "/newroot$i" ]; then init=$i; break; fi
        done
        [ -n "$init" ] || fail "$dev has none of /sbin/init, /etc/init, /bin/init, /init, /bin/sh"
        if [ -d /newroot/dev ]; then mount --move /dev /newroot/dev; else umount /dev; fi
        umount /sys
        umount /proc
        exec switch_root /newroot "$init"

        """
    }
}
