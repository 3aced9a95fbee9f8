import BootInputs
import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest
@testable import RootFilesystem

/// Dom0's ext4 root filesystem on a disk: the UUID read from the superblock, the modules the initramfs loads in
/// modules.dep order (Debian 12's real arm64 kernel), and its `/init`.
final class DiskRootTests: XCTestCase {
    func testUUIDFromASuperblockMke2fsWrote() throws {
        _ = try requireTool("mke2fs")
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("xb-sb-\(UUID().uuidString).ext4")
        defer { try? FileManager.default.removeItem(at: image) }
        let uuid = "0b5e7c3a-1d2f-4e6a-9b8c-7d6e5f4a3b2c"
        let r = try ProcessRunner.run("mke2fs", ["-q", "-F", "-t", "ext4", "-U", uuid, image.path, "4M"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.diagnostic)
        XCTAssertEqual(try Ext4Superblock(path: image.path, origin: "b.toml:9").uuid, uuid)
        XCTAssertEqual(try UserRootFS.kind(path: image.path, origin: "b.toml:9", key: "rootfs"), .ext4)
    }

    func testSuperblockErrors() {
        var head = [UInt8](repeating: 0, count: 2048)
        XCTAssertThrowsError(try Ext4Superblock(head, path: "r.ext4", origin: "b.toml:9")) { e in
            XCTAssertEqual("\(e)", "b.toml:9: rootfs r.ext4: no ext4 superblock (magic 0xEF53 at offset 1080)")
        }
        head[1080] = 0x53
        head[1081] = 0xEF
        XCTAssertThrowsError(try Ext4Superblock(head, path: "r.ext4", origin: "b.toml:9")) { e in
            XCTAssertTrue("\(e)".contains("has no UUID (give it one: tune2fs -U random r.ext4)"), "\(e)")
        }
        head[1024 + 0x68] = 0xAB
        head[1024 + 0x77] = 0x01
        XCTAssertEqual(try Ext4Superblock(head, path: "r.ext4", origin: "b.toml:9").uuid, "ab000000-0000-0000-0000-000000000001")
        XCTAssertThrowsError(try Ext4Superblock(Array(head.prefix(1100)), path: "r.ext4", origin: "b.toml:9"), "too short for the UUID")
    }

    func testModulesLoadAfterWhatTheyNeed() throws {
        let cache = PackageCache()
        let kernel = try prerequisite("Debian's arm64 kernel package") { try cache.fetch(try cache.resolveMeta("linux-image-arm64", arch: "arm64")) }
        _ = try requireTool("depmod")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xb-kmod-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let m = try KernelModules.select(DiskRootInitramfs.modules, kernelRoot: kernel.root, scratch: scratch)
        let names = m.loadOrder.map(KernelModules.moduleName)
        XCTAssertEqual(Set(m.loadOrder), Set(m.files), "every selected file is loaded once")
        XCTAssertEqual(m.loadOrder.count, m.files.count)
        // Debian 12's kernels build the virtio core in; ext4 needs three modules.
        for (module, needs) in [("ext4", ["jbd2", "mbcache", "crc16"])] {
            guard let at = names.firstIndex(of: module) else { XCTFail("\(module) not in \(names)"); continue }
            for n in needs {
                guard let before = names.firstIndex(of: n) else { XCTFail("\(n) not in \(names)"); continue }
                XCTAssertLessThan(before, at, "\(n) before \(module): \(names)")
            }
        }
        XCTAssertLessThan(try XCTUnwrap(names.firstIndex(of: "crc32c_generic")), try XCTUnwrap(names.firstIndex(of: "ext4")), "asked order")
        let domU = try KernelModules.select(DiskRootInitramfs.domUModules, kernelRoot: kernel.root, scratch: scratch.appendingPathComponent("domu"))
        XCTAssertEqual(domU.loadOrder.map(KernelModules.moduleName).first, "xen_blkfront", "a DomU's disk is Xen's PV block device")
        XCTAssertFalse(domU.loadOrder.contains { $0.contains("virtio") })
    }

    func testInitFindsTheDiskByUUIDAndSwitchesRoot() {
        let text = DiskRootInitramfs.script(modules: ["/lib/modules/6.1/kernel/fs/jbd2/jbd2.ko", "/lib/modules/6.1/kernel/fs/ext4/ext4.ko"],
                                            uuid: "0b5e7c3a-1d2f-4e6a-9b8c-7d6e5f4a3b2c")
        XCTAssertTrue(text.contains("for m in /lib/modules/6.1/kernel/fs/jbd2/jbd2.ko /lib/modules/6.1/kernel/fs/ext4/ext4.ko; do insmod"), text)
        XCTAssertTrue(text.contains("findfs UUID=0b5e7c3a-1d2f-4e6a-9b8c-7d6e5f4a3b2c"))
        XCTAssertTrue(text.contains("mount -t ext4 \"$dev\" /newroot"))
        XCTAssertTrue(text.hasSuffix("exec switch_root /newroot \"$init\"\n"), text)
    }

    func testDescribesWhatAFileHolds() throws {
        XCTAssertEqual(UserRootFS.describe([]), "an empty file")
        XCTAssertTrue(UserRootFS.describe([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1]).hasPrefix("xz-compressed data"))
        XCTAssertTrue(UserRootFS.describe([0x28, 0xB5, 0x2F, 0xFD, 0]).hasPrefix("zstd-compressed data"))
        XCTAssertEqual(UserRootFS.describe(Array("070707000001".utf8)), "an old-format (odc) cpio archive: Linux needs newc (cpio -H newc)")
        XCTAssertEqual(UserRootFS.describe([0x7F, 0x45, 0x4C, 0x46, 2, 1]), "an ELF file")
        XCTAssertEqual(UserRootFS.describe(Array("#!/bin/sh\n".utf8)), "a script (#!)")
        var mbr = [UInt8](repeating: 0, count: 2048)
        mbr[510] = 0x55
        mbr[511] = 0xAA
        XCTAssertTrue(UserRootFS.describe(mbr).contains("partition table"))
        XCTAssertEqual(UserRootFS.describe([1, 2, 3]), "3 bytes starting 01 02 03 (too short for an ext4 superblock)")
        XCTAssertEqual(UserRootFS.describe([1, 2, 3], size: 5000), "5000 bytes starting 01 02 03")
        XCTAssertTrue(UserRootFS.describe(try Gzip.compress(Array("hello".utf8))).hasPrefix("gzip data that is not"))
        XCTAssertEqual(UserRootFS.detect(Array("070702".utf8) + [0]), .cpio, "newc with checksums, which Linux unpacks too")
    }
}
