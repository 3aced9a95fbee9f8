import Foundation
import TestSupport
import XCTest
import XenArm
@testable import XenSource

/// The bring-up loop on a real kept work tree (arm32, Debian's Xen source): a change to one generated C file
/// recompiles that object only and the image carries the change; going back gives the first image byte for byte;
/// a Kconfig change reaches .config and the objects that test the symbol; files no longer generated leave the tree.
/// Skipped without the source or the cross toolchain (fails under CI). Several Xen builds: minutes under load.
final class IncrementalBuildTests: XCTestCase {
    static let platform = "xen/arch/arm/platforms/xb-incr.c"
    static let makefile = "xen/arch/arm/platforms/Makefile"
    static let kconfig = "xen/arch/arm/platforms/Kconfig"

    /// A generated platform whose printed name carries `mark`, plus a string present only with CONFIG_XB_INCR_TEST.
    static func platformFile(_ mark: String) -> GeneratedFile {
        GeneratedFile(path: platform, text: """
        #include <xen/init.h>
        #include <asm/platform.h>
        static const char * const xb_incr_dt_compat[] __initconst = { "xen-board,incremental-test", NULL };
        #ifdef CONFIG_XB_INCR_TEST
        const char xb_incr_kconfig[] = "XB-INCR-KCONFIG-ON";
        #endif
        PLATFORM_START(xb_incr, "\(mark)")
            .compatible = xb_incr_dt_compat,
        PLATFORM_END

        """)
    }

    func pristine(_ source: XenSourceTree, _ path: String) throws -> String {
        try String(contentsOf: source.pristine.appendingPathComponent(path), encoding: .utf8)
    }

    func build(_ tree: URL, _ files: [GeneratedFile], fragment: String = "", _ label: String) throws -> (XenBuild.Result, Data) {
        let start = Date()
        let r = try XenBuild.build(tree: tree, arch: .arm32, files: files, fragment: try ConfigFragment(parsing: fragment)) { print("  \($0)") }
        print("TIMING: \(label): \(String(format: "%.2f", Date().timeIntervalSince(start))) s (make \(String(format: "%.2f", r.makeSeconds)) s, \(r.compiled.count) objects)")
        return (r, try Data(contentsOf: r.image))
    }

    func contains(_ image: Data, _ text: String) -> Bool { image.range(of: Data(text.utf8)) != nil }

    func testIncrementalRebuilds() throws {
        try prerequisite("cross toolchain for arm32") { try XenBuild.checkTools(.arm32) }
        let source = try prerequisite("Debian's xen source package") { try XenSourceTree.obtain(progress: { print("  \($0)") }) }
        let makefile = GeneratedFile(path: Self.makefile, text: try pristine(source, Self.makefile) + "obj-y += xb-incr.o\n")
        _ = try source.workTree(name: "test-incremental-arm32") // a fresh copy, so the first build is a full one
        try source.withWorkTree(name: "test-incremental-arm32", progress: { print("  \($0)") }) { tree in
            let (first, image1) = try build(tree, [Self.platformFile("XB-INCR-MARK-1"), makefile], "first build (fresh tree)")
            XCTAssertTrue(contains(image1, "XB-INCR-MARK-1"))
            XCTAssertFalse(contains(image1, "XB-INCR-KCONFIG-ON"))
            XCTAssertGreaterThan(first.compiled.count, 100)

            // One generated C file changed: only its object is compiled (plus the symbol tables of the relink).
            let (second, image2) = try build(tree, [Self.platformFile("XB-INCR-MARK-2"), makefile], "one generated C file changed")
            XCTAssertFalse(second.reconfigured)
            XCTAssertEqual(second.compiled.filter { !$0.hasPrefix(".xen-syms") }, ["arch/arm/platforms/xb-incr.o"], "\(second.compiled)")
            XCTAssertTrue(contains(image2, "XB-INCR-MARK-2"))
            XCTAssertFalse(contains(image2, "XB-INCR-MARK-1"))

            // Back to the first inputs: the first image, byte for byte (fixed compile.h, make's own tracking).
            let (_, image3) = try build(tree, [Self.platformFile("XB-INCR-MARK-1"), makefile], "back to the first inputs")
            XCTAssertEqual(image3, image1, "same inputs, same image")

            // A Kconfig change: a new symbol and a fragment line turning it on reach .config and the object testing it.
            let kconfig = GeneratedFile(path: Self.kconfig, text: try pristine(source, Self.kconfig)
                + "\nconfig XB_INCR_TEST\n\tbool \"xen-board incremental-build test\"\n")
            let (fourth, image4) = try build(tree, [Self.platformFile("XB-INCR-MARK-1"), makefile, kconfig], fragment: "CONFIG_XB_INCR_TEST=y\n", "Kconfig change")
            XCTAssertTrue(fourth.reconfigured)
            XCTAssertTrue(try String(contentsOf: fourth.config, encoding: .utf8).contains("\nCONFIG_XB_INCR_TEST=y\n"))
            // Only what tests the changed symbol (and config_data.o, the embedded .config) is recompiled.
            XCTAssertEqual(fourth.compiled.filter { !$0.hasPrefix(".xen-syms") && $0 != "common/config_data.o" },
                           ["arch/arm/platforms/xb-incr.o"], "\(fourth.compiled)")
            XCTAssertTrue(contains(image4, "XB-INCR-KCONFIG-ON"))

            // Nothing generated any more: the platform file is gone, Xen's Makefile and Kconfig are back.
            let (fifth, image5) = try build(tree, [], "generated files removed")
            XCTAssertEqual(Set(fifth.undone), [Self.platform, Self.makefile, Self.kconfig])
            XCTAssertFalse(FileManager.default.fileExists(atPath: tree.appendingPathComponent(Self.platform).path))
            XCTAssertFalse(FileManager.default.fileExists(atPath: tree.appendingPathComponent("xen/arch/arm/platforms/xb-incr.o").path))
            XCTAssertEqual(try String(contentsOf: tree.appendingPathComponent(Self.makefile), encoding: .utf8), try pristine(source, Self.makefile))
            XCTAssertEqual(try String(contentsOf: tree.appendingPathComponent(Self.kconfig), encoding: .utf8), try pristine(source, Self.kconfig))
            XCTAssertFalse(try String(contentsOf: fifth.config, encoding: .utf8).contains("XB_INCR_TEST"))
            XCTAssertFalse(contains(image5, "XB-INCR-MARK-1"))
        }
    }
}
