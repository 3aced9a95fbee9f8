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
