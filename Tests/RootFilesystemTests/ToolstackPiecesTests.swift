import Foundation
import XCTest
@testable import RootFilesystem

/// The pure pieces of the toolstack root filesystem: which paths are left out, depmod's output read back.
final class ToolstackPiecesTests: XCTestCase {
    func testDocumentationIsLeftOutButCopyrightsStay() {
        XCTAssertTrue(ToolstackContents.isExcluded("usr/share/man/man1/xl.1.gz"))
        XCTAssertTrue(ToolstackContents.isExcluded("usr/share/doc/xen-utils-4.17/changelog.Debian.gz"))
        XCTAssertTrue(ToolstackContents.isExcluded("usr/share/locale/de/LC_MESSAGES/kmod.mo"))
        XCTAssertFalse(ToolstackContents.isExcluded("usr/share/doc/xen-utils-4.17/copyright"))
        XCTAssertFalse(ToolstackContents.isExcluded("usr/share/doc/xen-utils-4.17"))
        XCTAssertFalse(ToolstackContents.isExcluded("usr/lib/xen-4.17/bin/xl"))
        XCTAssertFalse(ToolstackContents.isExcluded("usr/share/docs-not-doc/x"))
    }

    func testModulesDepAndNames() {
        let dep = KernelModules.parseModulesDep("""
        kernel/drivers/xen/xenfs/xenfs.ko: kernel/drivers/xen/xen-privcmd.ko
        kernel/drivers/xen/xen-privcmd.ko:
        kernel/net/bridge/bridge.ko.xz: kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz
        """)
        XCTAssertEqual(dep["kernel/drivers/xen/xenfs/xenfs.ko"], ["kernel/drivers/xen/xen-privcmd.ko"])
        XCTAssertEqual(dep["kernel/drivers/xen/xen-privcmd.ko"], [])
        XCTAssertEqual(dep["kernel/net/bridge/bridge.ko.xz"]?.count, 2)
        XCTAssertEqual(KernelModules.moduleName("kernel/drivers/xen/xen-privcmd.ko"), "xen_privcmd")
        XCTAssertEqual(KernelModules.moduleName("kernel/net/bridge/bridge.ko.xz"), "bridge")
        XCTAssertEqual(KernelModules.normalize("xen-netback"), KernelModules.moduleName("kernel/drivers/net/xen-netback/xen_netback.ko"))
    }
}

/// Merged /usr: what packages put in /bin, /sbin, /lib moves below /usr; the tops become links.
final class MergedUsrTests: XCTestCase {
    func testTopDirectoriesBecomeLinksAndTheirEntriesMove() throws {
        var tree = RootTree()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merged-usr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        try Data("a".utf8).write(to: a)
        try Data("b".utf8).write(to: b)
        for dir in ["bin", "lib", "lib/aarch64-linux-gnu", "usr", "usr/bin"] { tree.addDirectory(dir) }
        tree.addFile("bin/busybox", from: a)
        tree.addFile("lib/aarch64-linux-gnu/libc.so.6", from: a)
        tree.addFile("usr/bin/ip", from: b)
        tree.addFile("bin/ip", from: a)
        tree.mergeUsr()
        XCTAssertEqual(tree.nodes["bin"], .symlink("usr/bin"))
        XCTAssertEqual(tree.nodes["sbin"], .symlink("usr/sbin"))
        XCTAssertEqual(tree.nodes["lib"], .symlink("usr/lib"))
        XCTAssertEqual(tree.nodes["usr/bin/busybox"], .file(a, permissions: 0o644))
        XCTAssertEqual(tree.nodes["usr/lib/aarch64-linux-gnu/libc.so.6"], .file(a, permissions: 0o644))
        XCTAssertEqual(tree.nodes["usr/bin/ip"], .file(b, permissions: 0o644), "the /usr path wins a clash")
        XCTAssertEqual(tree.nodes["usr/sbin"], .directory(permissions: 0o755))
        XCTAssertTrue(tree.nodes.keys.allSatisfy { !$0.hasPrefix("bin/") && !$0.hasPrefix("lib/") })
        _ = try tree.archive(epoch: .zero)   // every parent is a directory entry before what it holds
    }
}
