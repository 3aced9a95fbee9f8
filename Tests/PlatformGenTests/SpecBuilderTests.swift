import BoardFile
import BoardModel
import DeviceTree
import Foundation
import PlatformGen
import TestSupport
import XCTest

final class SpecBuilderTests: XCTestCase {
    func tree(_ dts: String) throws -> DeviceTree { try decodeDTS(dts) }

    func board(_ platform: String = "", arch: String = "arm32") throws -> Board {
        try BoardFileParser.parse("description = \"t\"\narch = \"\(arch)\"\nstatus = \"build-only\"\n[dtb]\npath = \"x.dtb\"\n" + platform,
                                  name: "t", file: "/b/t.toml", directory: "/b")
    }

    let arm32NoPSCI = """
    /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board"; interrupt-parent = <&gic>;
      chosen { stdout-path = "/uart@1000"; };
      cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <0>; };
             cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <1>; }; };
      gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>; interrupts = <1 9 0xf04>; };
      uart@1000 { compatible = "arm,pl011"; reg = <0x1000 0x1000>; interrupts = <0 5 4>; };
      %@
    };
    """

    func spec(_ extraDTS: String, _ platform: String = "", arch: String = "arm32") throws -> PlatformSpec {
        let t = try tree(arm32NoPSCI.replacingOccurrences(of: "%@", with: extraDTS))
        let b = try board(platform, arch: arch)
        return try PlatformSpecBuilder.spec(board: b, tree: t, model: BoardModel(tree: t, arch: b.arch))
    }

    func testRecognisedVexpressSysregAndSP810() throws {
        let s = try spec("sysreg@1c010000 { compatible = \"arm,vexpress-sysreg\"; reg = <0x1c010000 0x1000>; }; sysctl@1c020000 { compatible = \"arm,sp810\", \"arm,primecell\"; reg = <0x1c020000 0x1000>; };")
        XCTAssertEqual(s.smp, .mailbox(set: 0x1c01_0030, clear: 0x1c01_0034, wake: .sgi))
        XCTAssertEqual(s.reset, [.init(address: 0x1c02_0000, value: 3), .init(address: 0x1c02_0004, value: 1)])
        XCTAssertEqual(s.uartKconfig, "HAS_PL011")
        XCTAssertEqual(s.nrCPUs, 2)
        XCTAssertTrue(s.needsPlatformFile)
    }

    func testMissingBringUpInformationNamesTheKey() throws {
        XCTAssertThrowsError(try spec("")) { e in
            XCTAssertTrue("\(e)".contains("add smp = \"mailbox\" with smp-mailbox = ADDRESS") && "\(e)".contains("/b/t.toml"), "\(e)")
            XCTAssertEqual((e as? PlatformSpecBuilder.GenError)?.category, .smpNoStartMechanism)
        }
        XCTAssertThrowsError(try spec("", "[platform]\nsmp = \"mailbox\"\n")) { e in
            XCTAssertTrue("\(e)".contains("/b/t.toml:7") && "\(e)".contains("needs smp-mailbox"), "\(e)")
            XCTAssertEqual((e as? PlatformSpecBuilder.GenError)?.category, .smpMailboxAddressMissing)
            XCTAssertEqual((e as? PlatformSpecBuilder.GenError)?.location, "/b/t.toml:7")
        }
        XCTAssertThrowsError(try spec("psci { compatible = \"arm,psci-0.2\"; method = \"smc\"; };", "[platform]\nsmp = \"spin-table\"\n", arch: "arm64")) { e in
            XCTAssertEqual((e as? PlatformSpecBuilder.GenError)?.category, .smpNoReleaseAddress, "\(e)")
        }
        XCTAssertThrowsError(try spec("", "[platform]\nsmp = \"mailbox\"\nsmp-mailbox = 0x1000\nreset = [\"0x10\"]\n")) { e in
            XCTAssertTrue("\(e)".contains("must be ADDR=VALUE"), "\(e)")
        }
        let s = try spec("", "[platform]\nsmp = \"mailbox\"\nsmp-mailbox = 0xe63c0ffc\nsmp-wake = \"sev\"\ndma-bitsize = 32\n")
        XCTAssertEqual(s.smp, .mailbox(set: 0xe63c_0ffc, clear: nil, wake: .sev))
        XCTAssertEqual(s.dmaBitsize, 32)
    }

    /// AST2600 (as in Linux's aspeed-g6.dtsi): enable-method on /cpus, smp-memram@180 inside the SCU (translated
    /// through its ranges), the first enabled watchdog resets; the SoC has no power-off mechanism.
    let ast2600 = """
    /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; compatible = "aspeed,ast2600-evb", "aspeed,ast2600"; interrupt-parent = <&gic>;
      aliases { serial4 = "/apb/serial@1e784000"; };
      cpus { #address-cells = <1>; #size-cells = <0>; enable-method = "aspeed,ast2600-smp";
             cpu@f00 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0xf00>; };
             cpu@f01 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0xf01>; }; };
      gic: interrupt-controller@40461000 { compatible = "arm,cortex-a7-gic"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0x40461000 0x1000>, <0x40462000 0x1000>, <0x40464000 0x2000>, <0x40466000 0x2000>; };
      apb { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
        syscon@1e6e2000 { compatible = "aspeed,ast2600-scu", "syscon", "simple-mfd"; reg = <0x1e6e2000 0x1000>;
          ranges = <0 0x1e6e2000 0x1000>; #address-cells = <1>; #size-cells = <1>;
          %SMPMEM% };
        serial@1e784000 { compatible = "snps,dw-apb-uart"; reg = <0x1e784000 0x1000>; reg-shift = <2>; interrupts = <0 8 4>; };
        watchdog@1e785000 { compatible = "aspeed,ast2600-wdt"; reg = <0x1e785000 0x40>; status = "%WDT%"; };
        watchdog@1e785040 { compatible = "aspeed,ast2600-wdt"; reg = <0x1e785040 0x40>; };
      };
    };
    """

    func astSpec(smpmem: Bool = true, firstWatchdog: String = "okay") throws -> PlatformSpec {
        let dts = ast2600.replacingOccurrences(of: "%SMPMEM%", with: smpmem ? "smp-memram@180 { compatible = \"aspeed,ast2600-smpmem\"; reg = <0x180 0x40>; };" : "")
            .replacingOccurrences(of: "%WDT%", with: firstWatchdog)
        let t = try tree(dts)
        let b = try BoardFileParser.parse("description = \"t\"\narch = \"arm32\"\nstatus = \"build-only\"\n[dtb]\npath = \"x.dtb\"\n[xen]\nconsole = \"serial4\"\n",
                                          name: "t", file: "/b/t.toml", directory: "/b")
        return try PlatformSpecBuilder.spec(board: b, tree: t, model: BoardModel(tree: t, arch: .arm32, console: b.console))
    }

    func testAST2600BootPenWatchdogResetAndNoPowerOff() throws {
        let s = try astSpec()
        XCTAssertEqual(s.smp, .bootPen(entry: 0x1e6e_2180, signal: 0x1e6e_2184, goSignal: 0xABBA_AB00, parkSignal: 0xBADA_BABA))
        XCTAssertEqual(s.reset, [.init(address: 0x1e78_500c, value: 0), .init(address: 0x1e78_5004, value: 1000),
                                 .init(address: 0x1e78_5008, value: 0x4755), .init(address: 0x1e78_500c, value: 3)])
        XCTAssertTrue(s.poweroff.isEmpty)
        XCTAssertTrue(s.poweroffNote?.contains("no power-off mechanism") == true, "\(s.poweroffNote ?? "nil")")
        XCTAssertTrue(s.mechanisms.contains { $0.contains("platsmp.c") } && s.mechanisms.contains { $0.contains("aspeed_wdt.c") }, "\(s.mechanisms)")
        XCTAssertEqual(s.uartKconfig, "HAS_NS16550", "console from the board file's serial4 alias")
        XCTAssertTrue(s.xenCommandLine.contains("dtuart=serial4"), s.xenCommandLine)
    }

    func testAST2600FallsBackToSCUOffsetsAndSkipsDisabledWatchdogs() throws {
        let s = try astSpec(smpmem: false, firstWatchdog: "disabled")
        XCTAssertEqual(s.smp, .bootPen(entry: 0x1e6e_2180, signal: 0x1e6e_2184, goSignal: 0xABBA_AB00, parkSignal: 0xBADA_BABA))
        XCTAssertEqual(s.reset.first?.address, 0x1e78_504c, "the enabled watchdog@1e785040")
    }

    func testEnableMethodMustMatchForThePen() throws {
        // Without the aspeed enable-method the SCU alone is no reason to assume the pen: the board file must say.
        let dts = ast2600.replacingOccurrences(of: "enable-method = \"aspeed,ast2600-smp\";", with: "")
            .replacingOccurrences(of: "%SMPMEM%", with: "").replacingOccurrences(of: "%WDT%", with: "okay")
        let t = try tree(dts)
        let b = try board()
        XCTAssertThrowsError(try PlatformSpecBuilder.spec(board: b, tree: t, model: BoardModel(tree: t, arch: .arm32))) { e in
            XCTAssertTrue("\(e)".contains("smp-mailbox"), "\(e)")
        }
    }

    func testPSCIBoardsNeedNoPlatformFile() throws {
        let s = try spec("psci { compatible = \"arm,psci-1.0\", \"arm,psci-0.2\"; method = \"smc\"; };")
        XCTAssertEqual(s.smp, .none)
        XCTAssertFalse(s.needsPlatformFile)
    }
}
