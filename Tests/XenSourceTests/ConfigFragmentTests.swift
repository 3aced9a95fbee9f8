import Foundation
import XCTest
import XenArm
@testable import XenSource

final class ConfigFragmentTests: XCTestCase {
    func testParsesAssignmentsNotSetAndComments() throws {
        let f = try ConfigFragment(parsing: """
        # early printk on the PL011
        CONFIG_EXPERT=y

        CONFIG_EARLY_UART_BASE_ADDRESS=0x09000000
        CONFIG_CMDLINE="console=dtuart dtuart=serial0"
        # CONFIG_ALL_PLAT is not set
        """)
        XCTAssertEqual(f.entries.map(\.symbol), ["EXPERT", "EARLY_UART_BASE_ADDRESS", "CMDLINE", "ALL_PLAT"])
        XCTAssertEqual(f.entries.map(\.value), ["y", "0x09000000", "\"console=dtuart dtuart=serial0\"", nil])
        XCTAssertEqual(f.entries.map(\.line), [2, 4, 5, 6])
        XCTAssertEqual(f.text, "CONFIG_EXPERT=y\nCONFIG_EARLY_UART_BASE_ADDRESS=0x09000000\nCONFIG_CMDLINE=\"console=dtuart dtuart=serial0\"\n# CONFIG_ALL_PLAT is not set\n")
    }

    func testRejectsMalformedLinesWithTheirNumber() {
        for bad in ["EXPERT=y", "CONFIG_EXPERT", "CONFIG_=y", "CONFIG_EXPERT=", "CONFIG_A-B=y"] {
            XCTAssertThrowsError(try ConfigFragment(parsing: "CONFIG_DEBUG=y\n\(bad)\n"), bad) { error in
                XCTAssertEqual(error as? XenSourceError, .invalidFragmentLine(line: 2, text: bad))
            }
        }
    }

    /// A symbol olddefconfig dropped (unmet `depends on`: the early UART choice needs EXPERT or DEBUG) is named.
    func testDroppedSymbolIsNamed() throws {
        let fragment = try ConfigFragment(parsing: "CONFIG_EARLY_UART_CHOICE_PL011=y\nCONFIG_EARLY_UART_BASE_ADDRESS=0x09000000\nCONFIG_GICV3=y\n")
        let config = """
        CONFIG_ARM_64=y
        CONFIG_GICV3=y
        # CONFIG_EXPERT is not set
        """
        let dropped = ConfigFragment.check(fragment, against: config)
        XCTAssertEqual(dropped.map(\.symbol), ["EARLY_UART_CHOICE_PL011", "EARLY_UART_BASE_ADDRESS"])
        XCTAssertEqual(dropped.first?.got, nil)
        let message = XenSourceError.configDropped(dropped, config: "xen/.config").description
        XCTAssertTrue(message.contains("CONFIG_EARLY_UART_CHOICE_PL011"), message)
        XCTAssertTrue(message.contains("depends on"), message)
    }

    func testChangedValuesAndForcedSymbolsAreDropped() throws {
        let fragment = try ConfigFragment(parsing: """
        CONFIG_NR_CPUS=4
        # CONFIG_ARM_SMMU is not set
        CONFIG_HAS_NS16550=n
        CONFIG_SCHED_CREDIT2=y
        """)
        let config = """
        CONFIG_NR_CPUS=128
        CONFIG_ARM_SMMU=y
        CONFIG_HAS_NS16550=y
        # CONFIG_SCHED_CREDIT2 is not set
        """
        let dropped = ConfigFragment.check(fragment, against: config)
        XCTAssertEqual(dropped.map(\.symbol), ["NR_CPUS", "ARM_SMMU", "HAS_NS16550", "SCHED_CREDIT2"])
        XCTAssertEqual(dropped.map(\.got), ["CONFIG_NR_CPUS=128", "CONFIG_ARM_SMMU=y", "CONFIG_HAS_NS16550=y", "# CONFIG_SCHED_CREDIT2 is not set"])
    }

    func testKeptLinesPass() throws {
        let fragment = try ConfigFragment(parsing: """
        CONFIG_EXPERT=y
        CONFIG_EARLY_UART_BASE_ADDRESS=0x9000000
        CONFIG_NR_CPUS=8
        CONFIG_NR_CPUS=4
        # CONFIG_ALL_PLAT is not set
        CONFIG_HAS_SCIF=n
        # CONFIG_TEE is not set
        CONFIG_CMDLINE="dom0_mem=512M"
        """)
        let config = """
        CONFIG_EXPERT=y
        CONFIG_EARLY_UART_BASE_ADDRESS=0x09000000
        CONFIG_NR_CPUS=4
        # CONFIG_ALL_PLAT is not set
        # CONFIG_HAS_SCIF is not set
        CONFIG_CMDLINE="dom0_mem=512M"
        """
        // TEE has no line at all (its dependencies are off): off, as asked. NR_CPUS: the last assignment counts.
        XCTAssertEqual(ConfigFragment.check(fragment, against: config), [])
    }

    func testKconfigLookupNamesDefinitionAndDepends() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-kconfig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("arch/arm"), withIntermediateDirectories: true)
        try """
        config FOO
        \tbool "foo"
        \tdepends on ARM_64 && EXPERT
        \thelp
        \t  Foo.

        config BAR
        \tbool
        """.write(to: dir.appendingPathComponent("arch/arm/Kconfig.debug"), atomically: true, encoding: .utf8)
        // No root Kconfig: every Kconfig* file is scanned, own `depends on` only.
        XCTAssertEqual(KconfigLookup.definition(of: "FOO", in: dir), "defined at xen/arch/arm/Kconfig.debug:1 (depends on ARM_64 && EXPERT)")
        XCTAssertEqual(KconfigLookup.definition(of: "BAR", in: dir), "defined at xen/arch/arm/Kconfig.debug:7")
        XCTAssertEqual(KconfigLookup.definition(of: "BAZ", in: dir), "no Kconfig entry defines BAZ in this Xen")
        // With a root Kconfig, enclosing `if` and `menu ... depends on` blocks count, through `source`.
        try """
        menu "Debugging Options"
        	depends on HAS_DEBUG
        if DEBUG || EXPERT
        source "arch/$(SRCARCH)/Kconfig.debug"
        endif
        endmenu
        config OTHER
        	bool
        """.write(to: dir.appendingPathComponent("Kconfig"), atomically: true, encoding: .utf8)
        XCTAssertEqual(KconfigLookup.definition(of: "FOO", in: dir),
                       "defined at xen/arch/arm/Kconfig.debug:1 (depends on HAS_DEBUG && (DEBUG || EXPERT) && (ARM_64 && EXPERT))")
        XCTAssertEqual(KconfigLookup.definition(of: "BAR", in: dir), "defined at xen/arch/arm/Kconfig.debug:7 (depends on HAS_DEBUG && (DEBUG || EXPERT))")
        XCTAssertEqual(KconfigLookup.definition(of: "OTHER", in: dir), "defined at xen/Kconfig:7")
    }

    func testErrorExcerptQuotesTheSourceLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-excerpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("arch/arm/platforms"), withIntermediateDirectories: true)
        try "#include <asm/platform.h>\nstatic int x = y;\n".write(to: dir.appendingPathComponent("arch/arm/platforms/gen.c"), atomically: true, encoding: .utf8)
        let output = """
          CC      arch/arm/platforms/gen.o
        arch/arm/platforms/gen.c:2:16: error: 'y' undeclared here (not in a function)
        make[3]: *** [Rules.mk:249: arch/arm/platforms/gen.o] Error 1
        """
        let excerpt = XenMake.errorExcerpt(output, xenDirectory: dir)
        XCTAssertEqual(excerpt.first, "arch/arm/platforms/gen.c:2:16: error: 'y' undeclared here (not in a function)")
        XCTAssertEqual(excerpt.dropFirst().first, "    2 | static int x = y;")
        XCTAssertEqual(XenMake.errorExcerpt("a\nb\n", xenDirectory: nil), ["a", "b"])
    }

    func testGeneratedFilesStayInsideTheTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for bad in ["/etc/x", "../x", "xen/../../x", "", "xen/./x", ".xen-board-files", ".xen-board-originals/xen/x"] {
            XCTAssertThrowsError(try TreeFiles.sync([GeneratedFile(path: bad, text: "x")], into: dir), bad) { error in
                XCTAssertEqual(error as? XenSourceError, .invalidFilePath(bad))
            }
        }
        _ = try TreeFiles.sync([GeneratedFile(path: "xen/arch/arm/platforms/gen.c", text: "int x;\n")], into: dir)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("xen/arch/arm/platforms/gen.c"), encoding: .utf8), "int x;\n")
    }

    func testLoadsAGenDirectorySkippingTopLevelFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xen/arch/arm/configs"), withIntermediateDirectories: true)
        try "readme".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try "CONFIG_EXPERT=y\n".write(to: dir.appendingPathComponent("xen/arch/arm/configs/xen-board.fragment"), atomically: true, encoding: .utf8)
        try "int x;\n".write(to: dir.appendingPathComponent("xen/arch/arm/gen.c"), atomically: true, encoding: .utf8)
        let files = try GeneratedFile.load(directory: dir)
        XCTAssertEqual(files.map(\.path), ["xen/arch/arm/configs/xen-board.fragment", "xen/arch/arm/gen.c"])
    }

    func testImageMagic() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-img-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var arm64 = [UInt8](repeating: 0, count: 64)
        arm64.replaceSubrange(0x38..<0x3c, with: [0x41, 0x52, 0x4d, 0x64])
        var arm32 = [UInt8](repeating: 0, count: 64)
        arm32.replaceSubrange(0x24..<0x28, with: [0x18, 0x28, 0x6f, 0x01])
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        try Data(arm64).write(to: a)
        try Data(arm32).write(to: b)
        XCTAssertNoThrow(try XenImage.check(a, arch: .arm64))
        XCTAssertNoThrow(try XenImage.check(b, arch: .arm32))
        XCTAssertThrowsError(try XenImage.check(a, arch: .arm32))
        XCTAssertThrowsError(try XenImage.check(b, arch: .arm64))
        XCTAssertThrowsError(try XenImage.check(dir.appendingPathComponent("none"), arch: .arm64))
    }
}
