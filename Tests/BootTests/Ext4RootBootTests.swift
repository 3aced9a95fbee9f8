import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `[dom0] rootfs = "root.ext4"` booted under QEMU: the user's ext4 image (packed here with `mke2fs -d`, no root)
/// is Dom0's disk; the generated initramfs loads virtio and ext4, mounts it by UUID and switch_roots to its
/// /sbin/init, which prints a marker and the usual report. The user's file is left as it was (the boot uses a copy).
final class Ext4RootBootTests: XCTestCase {
    func testDom0BootsTheUsersExt4Image() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
        for tool in ["depmod", "mke2fs", "cpio"] { _ = try requireTool(tool) }
        let work = try BoardBoot.workFolder("xb-ext4")
        defer { try? FileManager.default.removeItem(at: work) }
        let image = try makeImage(in: work)
        let before = try XCTUnwrap(FileManager.default.contents(atPath: image.path))
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "[dom0]\n", with: "[dom0]\nrootfs = \"../root.ext4\"\n")
        guard let run = try BoardBoot.run("ext4-root", text: text, in: work, timeout: 400) else { return }
        let (console, tail) = (run.console, run.tail())
        XCTAssertNotNil(console.range(of: #"xen-board: root filesystem /dev/vd[a-z] \(ext4 UUID [0-9a-f-]{36}\)"#, options: .regularExpression), tail)
        XCTAssertNotNil(console.range(of: #"xen-board-ext4-root: /dev/vd[a-z] / ext4 rw"#, options: .regularExpression), "the image's own init, on the disk\n\(tail)")
        let report = BootReport.parse(console)
        XCTAssertEqual(report?.role, .dom0)
        XCTAssertEqual(report?.hypervisor, "xen")
        XCTAssertEqual(FileManager.default.contents(atPath: image.path), before, "the user's image is not written to")
        run.printTime("ext4 Dom0 root")
    }

    /// `[[domu]] rootfs = "root.ext4"` with a toolstack Dom0: the image is the DomU's PV disk `xvda`, attached by
    /// Dom0's `xl block-attach` after init-dom0less; the DomU's generated initramfs loads xen-blkfront and ext4, waits
    /// for the disk, mounts it by UUID and switch_roots to the image's init, whose report arrives on Xen's console.
    func testDomUBootsItsExt4ImageFromABlkbackDisk() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
        for tool in ["depmod", "mke2fs", "cpio"] { _ = try requireTool(tool) }
        let work = try BoardBoot.workFolder("xb-ext4-domu")
        defer { try? FileManager.default.removeItem(at: work) }
        _ = try makeImage(in: work, board: "qemu-virt-arm64-rtc-domu", initrd: "initrd-rtc")
        let text = try BoardBoot.board("qemu-virt-arm64-toolstack",
                                       adding: "[[domu]]\nname = \"disk\"\nmemory = \"128M\"\nenhanced = \"enabled\"\nrootfs = \"../root.ext4\"\n")
        guard let run = try BoardBoot.run("ext4-domu", text: text, in: work, timeout: 600) else { return }
        let tail = run.tail()
        XCTAssertTrue(run.console.contains("pv_attach=1 disk xvda ok"), "Dom0 attached the image as xvda\n\(tail)")
        XCTAssertNotNil(run.console.range(of: #"DOM1: xen-board-ext4-root: /dev/xvda / ext4 rw"#, options: .regularExpression), "the image's init, on xvda\n\(tail)")
        run.printTime("ext4 DomU root on blkback")
    }

    /// An ext4 image holding a report test system (`board`'s initramfs `initrd`, unpacked without its device
    /// nodes) with its init at /sbin/init, printing what / is first.
    func makeImage(in work: URL, board: String = "qemu-virt-arm64", initrd name: String = "initrd") throws -> URL {
        let report = work.appendingPathComponent("report").path
        let built = try XenBoardCLI.run(["build", board, "--out", report], in: work)
        XCTAssertEqual(built.status, 0, "build \(board): \(built.stderr)")
        guard built.status == 0 else { throw CocoaError(.fileNoSuchFile) }
        let tree = work.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        let initrd = try XCTUnwrap(FileManager.default.contents(atPath: report + "/" + name))
        let unpack = try ProcessRunner.run("cpio", ["-idm", "--quiet", "--nonmatching", "dev/*"], in: tree, stdin: [UInt8](initrd), timeout: 120)
        XCTAssertEqual(unpack.status, 0, unpack.diagnostic)
        var script = try String(contentsOf: tree.appendingPathComponent("init"), encoding: .utf8)
        script = script.replacingOccurrences(of: "mount -t devtmpfs devtmpfs /dev\n",
                                             with: "mount -t devtmpfs devtmpfs /dev 2>/dev/null\necho \"xen-board-ext4-root: $(grep ' / ' /proc/mounts)\"\n")
        XCTAssertTrue(script.contains("xen-board-ext4-root"), "the marker went in")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("dev"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: tree.appendingPathComponent("init"))
        try Data(script.utf8).write(to: tree.appendingPathComponent("sbin/init"))
        chmod(tree.appendingPathComponent("sbin/init").path, 0o755)
        let image = work.appendingPathComponent("root.ext4")
        let mkfs = try ProcessRunner.run("mke2fs", ["-q", "-F", "-t", "ext4", "-d", tree.path, image.path, "16M"], timeout: 120)
        XCTAssertEqual(mkfs.status, 0, mkfs.diagnostic)
        return image
    }
}
