import Foundation
import PlatformGen
import SoCMechanisms
import XCTest
import XenArm

/// Generators are pure functions: each hook kind has a golden file. XEN_BOARD_UPDATE_GOLDEN=1 rewrites them (review
/// the diff before committing).
final class GoldenTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func spec(_ board: String, arch: Architecture = .arm32, smp: PlatformSpec.SMP = .none, reset: [PlatformSpec.RegisterWrite] = [],
              poweroff: [PlatformSpec.RegisterWrite] = [], blacklist: [String] = [], mappings: [(base: UInt64, size: UInt64)] = [],
              dma: Int? = nil, gic64k: Bool = false) -> PlatformSpec {
        PlatformSpec(symbol: "xb_" + board.replacingOccurrences(of: "-", with: "_"), name: "XEN-BOARD \(board.uppercased())", board: board,
                     arch: arch, compatibles: ["vendor,\(board)", "vendor,soc"], smp: smp, reset: reset, poweroff: poweroff,
                     blacklist: blacklist, specificMappings: mappings, dmaBitsize: dma, gic64KStride: gic64k, uartKconfig: "HAS_PL011",
                     earlyPrintk: ["CONFIG_EARLY_UART_CHOICE_PL011=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x1c090000"], nrCPUs: 4,
                     xenCommandLine: "console=dtuart dtuart=serial0 dom0_mem=512M")
    }

    func check(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["XEN_BOARD_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text, expected, "\(name) differs from its golden file", file: file, line: line)
    }

    func testMailboxSGI() throws {
        let s = spec("mbox-sgi", smp: .mailbox(set: 0x1c01_0030, clear: 0x1c01_0034, wake: .sgi))
        try check("mailbox-sgi.c", PlatformCode.c(s))
        try check("mailbox-sgi.Kconfig", BuildGlue.kconfig(s))
        try check("mailbox-sgi.Makefile", BuildGlue.makefile(s))
        try check("mailbox-sgi.fragment", BuildGlue.defconfigFragment(s))
    }

    func testMailboxSEV() throws {
        try check("mailbox-sev.c", PlatformCode.c(spec("mbox-sev", smp: .mailbox(set: 0xe63c_0ffc, clear: nil, wake: .sev))))
    }

    /// The AST2600's boot-ROM pen: park signal in smp_init, entry + go signal + sev in cpu_up, and the reason for
    /// the missing poweroff hook as a comment.
    func testBootPenAndWatchdogReset() throws {
        let s = PlatformSpec(symbol: "xb_pen", name: "XEN-BOARD PEN", board: "pen", arch: .arm32, compatibles: ["vendor,pen"],
                             smp: .bootPen(entry: 0x1e6e_2180, signal: 0x1e6e_2184, goSignal: 0xABBA_AB00, parkSignal: 0xBADA_BABA),
                             reset: [.init(address: 0x1e78_500c, value: 0), .init(address: 0x1e78_5004, value: 1000),
                                     .init(address: 0x1e78_5008, value: 0x4755), .init(address: 0x1e78_500c, value: 3)],
                             poweroff: [], blacklist: [], specificMappings: [], dmaBitsize: nil, gic64KStride: false,
                             uartKconfig: "HAS_NS16550", earlyPrintk: [], nrCPUs: 2, xenCommandLine: "dom0_mem=256M",
                             poweroffNote: "this SoC has no power-off mechanism", mechanisms: ["secondary CPUs: pen (source)"])
        try check("boot-pen.c", PlatformCode.c(s))
        XCTAssertTrue(try GeneratedPort(spec: s).files.contains { $0.path == "README.md" && $0.text.contains("secondary CPUs: pen (source)") })
    }

    /// RK3288's start (the addresses `MechanismMatch` derives from rk3288-firefly.dtb): power bit per core in the PMU,
    /// per-core SRAM mailbox after the boot ROM's 1 ms, dsb + sev.
    func testPoweredBitPerCoreSEV() throws {
        let p = PoweredStart(powerControl: 0xff73_0008, powerStatus: 0xff73_000c, layout: .bitPerCoreSetIsOff, coresPerCluster: nil, cores: 4,
                             writes: [.init(address: 0xff70_0008, value: .entryPoint), .init(address: 0xff70_0004, value: .constant(0xDEAD_BEAF))],
                             perCore: true, settleMilliseconds: 1, firmwareCall: nil, wake: .sev)
        let c = PlatformCode.c(spec("powered-bit", smp: .powered(p)))
        try check("powered-bit-sev.c", c)
        XCTAssertFalse(c.contains("asm/smccc.h"), "no firmware call, no SMCCC header")
    }

    /// Exynos 5422 under secure firmware (exynos5422-odroidxu4.dtb): a configuration register per core, the boot
    /// address once in smp_init, SMC_CMD_CPU1BOOT with the core index, then the SGI.
    func testPoweredRegisterPerCoreSGIWithSMC() throws {
        let p = PoweredStart(powerControl: 0x1004_2000, powerStatus: 0x1004_2004, layout: .registerPerCore(stride: 0x80, value: 0x3),
                             coresPerCluster: 4, cores: 8, writes: [.init(address: 0x0207_301c, value: .entryPoint)], perCore: false,
                             settleMilliseconds: 0, firmwareCall: 0xFFFF_FFFC, wake: .sgi)
        let c = PlatformCode.c(spec("powered-core", smp: .powered(p)))
        try check("powered-core-sgi-smc.c", c)
        XCTAssertTrue(c.contains("#include <asm/smccc.h>"))
    }

    /// RK3036 (rk3036-evb.dtb): the core's soft reset released with a hiword-mask write to CRU_SOFTRST_CON0, then
    /// the Rockchip boot-ROM mailbox.
    func testPoweredHiwordResetSEV() throws {
        let p = PoweredStart(powerControl: 0x2000_0110, powerStatus: 0x2000_0110, layout: .hiwordResetPerCore, coresPerCluster: nil, cores: 2,
                             writes: [.init(address: 0x1008_0008, value: .entryPoint), .init(address: 0x1008_0004, value: .constant(0xDEAD_BEAF))],
                             perCore: true, settleMilliseconds: 1, firmwareCall: nil, wake: .sev)
        let c = PlatformCode.c(spec("powered-reset", smp: .powered(p)))
        try check("powered-reset-sev.c", c)
        XCTAssertTrue(c.contains("xb_powered_reset_write32(0x20000110, (1U << core) << 16);"), c)
    }

    func testSpinTable() throws {
        try check("spin-table.c", PlatformCode.c(spec("spin", smp: .spinTable(releaseAddress: 0x8000_fff8))))
    }

    func testResetPoweroffBlacklistMappingsDMAQuirks() throws {
        let s = spec("hooks", arch: .arm64,
                     reset: [.init(address: 0x1c02_0000, value: 3), .init(address: 0x1c02_0004, value: 1)],
                     poweroff: [.init(address: 0xfff3_cf00, value: 3)], blacklist: ["vendor,watchdog", "vendor,\"quoted\""],
                     mappings: [(0x1000_0000, 0x1000), (0x12dd_0000, 0x2000)], dma: 30, gic64k: true)
        try check("hooks.c", PlatformCode.c(s))
        try check("hooks.Kconfig", BuildGlue.kconfig(s))
        XCTAssertFalse(PlatformCode.c(s).contains("smp_init"), "arm64 has no SMP hooks")
    }

    func testNoPlatformFileWhenGenericCodeSuffices() throws {
        let s = spec("generic", arch: .arm64)
        XCTAssertFalse(s.needsPlatformFile)
        let port = try GeneratedPort(spec: s)
        XCTAssertEqual(port.files.map(\.path), ["xen/arch/arm/configs/xen-board.fragment", "xen-command-line.txt", "README.md"])
        XCTAssertFalse(BuildGlue.defconfigFragment(s).contains("CONFIG_XB_"), "no platform choice")
        try check("generic.fragment", BuildGlue.defconfigFragment(s))
        XCTAssertTrue(port.files.last?.text.contains("No platform file is needed") ?? false)
    }

    func testKconfigAndMakefileEdits() throws {
        let port = try GeneratedPort(spec: spec("edit", smp: .mailbox(set: 0x1000, clear: nil, wake: .sgi)))
        let kconfig = "choice\n\tprompt \"Platform Support\"\n\nconfig ALL_PLAT\n\tbool \"All\"\n\nendchoice\n"
        let edited = try port.editedKconfig(kconfig)
        XCTAssertTrue(edited.contains("config XB_EDIT\n"), edited)
        XCTAssertLessThan(try XCTUnwrap(edited.range(of: "config XB_EDIT")).lowerBound, try XCTUnwrap(edited.range(of: "endchoice")).lowerBound)
        XCTAssertThrowsError(try port.editedKconfig("no choice here\n"))
        XCTAssertEqual(port.editedMakefile("obj-y += a.o"), "obj-y += a.o\nobj-$(CONFIG_XB_EDIT) += xb-edit.o\n")
    }
}
