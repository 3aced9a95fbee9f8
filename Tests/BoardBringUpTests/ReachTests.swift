import BoardBringUp
import BoardModel
import DeviceTree
import Foundation
import TestSupport
import XCTest

/// Reach rows (what `new` + `gen` make of a tree, in memory) and the summary that counts them against
/// compile-check results.
final class ReachTests: XCTestCase {
    /// An arm32 SoC: %GICREG% (4 regions: virtualization described), %CPUS%, %UART% vary per test.
    let soc = """
    /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; model = "Vendor Board"; compatible = "vendor,board", "vendor,soc";
      interrupt-parent = <&gic>; chosen { stdout-path = &u0; };
      %PSCI%
      cpus { #address-cells = <1>; #size-cells = <0>; %CPUS% };
      memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
      gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
        reg = %GICREG%; interrupts = <1 9 0xf04>; };
      timer { compatible = "arm,armv7-timer"; interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>; };
      u0: serial@1000 { compatible = "%UART%"; reg = <0x1000 0x1000>; interrupts = <0 5 4>; };
    };
    """
    let fourRegions = "<0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>"
    let psci = "psci { compatible = \"arm,psci-0.2\"; method = \"smc\"; };"
    func cpu(_ n: Int, psci: Bool) -> String {
        "cpu@\(n) { device_type = \"cpu\"; compatible = \"arm,cortex-a7\"; reg = <\(n)>;\(psci ? " enable-method = \"psci\";" : "") };"
    }

    func row(gic: String? = nil, psciNode: Bool = true, cpus: Int = 2, uart: String = "arm,pl011") throws -> ReachRow? {
        let dts = soc.replacingOccurrences(of: "%GICREG%", with: gic ?? fourRegions)
            .replacingOccurrences(of: "%PSCI%", with: psciNode ? psci : "")
            .replacingOccurrences(of: "%CPUS%", with: (0..<cpus).map { cpu($0, psci: psciNode) }.joined(separator: " "))
            .replacingOccurrences(of: "%UART%", with: uart)
        let tree = try DTBDecoder.decode(try compileDTS(dts))
        return Reach.row(tree: tree, file: "fixture.dtb", model: BoardModel(tree: tree, file: "fixture.dtb"))
    }

    func testPSCIBoardWithPL011NeedsNoPlatformFile() throws {
        let r = try XCTUnwrap(try row())
        XCTAssertNil(r.blocker)
        XCTAssertEqual(r.family, ConsoleFamily(.xen, "pl011"))
        XCTAssertEqual(r.combination?.key, "xen:pl011/arm32/none/xen-4.17")
    }

    func testGICv2WithoutVirtualizationRegionsIsOutsideTheShares() throws {
        XCTAssertNil(try row(gic: "<0x2c001000 0x1000>, <0x2c002000 0x2000>"))
    }

    func testSecondaryCPUsWithoutPSCIAreABoardBlocker() throws {
        let r = try XCTUnwrap(try row(psciNode: false))
        XCTAssertEqual(r.blocker, .boardBlocker(.cpuNoBringup))
        XCTAssertNil(r.combination)
        XCTAssertEqual(r.family, ConsoleFamily(.xen, "pl011"), "the console is still counted for share (a)")
    }

    func testUARTNothingDrivesIsConsoleNoDriver() throws {
        let r = try XCTUnwrap(try row(uart: "vendor,unknown-uart"))
        XCTAssertEqual(r.blocker, .consoleNoDriver(compatible: "vendor,unknown-uart"))
        XCTAssertNil(r.family)
    }

    func testGeneratedDriverAndHooksNameTheCombination() throws {
        // A single CPU without PSCI: no SMP hook and no PSCI reset; the i.MX UART has a generated driver.
        let r = try XCTUnwrap(try row(psciNode: false, cpus: 1, uart: "fsl,imx6q-uart"))
        XCTAssertNil(r.blocker, "\(String(describing: r.blocker))")
        XCTAssertEqual(r.family, ConsoleFamily(.generated, "imx-uart"))
        XCTAssertEqual(r.combination?.driver, "generated:imx-uart")
    }

    /// Xen's own exynos5 / dra7 platforms start the secondary CPUs (cpu_up): gen generates nothing for them (it used
    /// to fail asking for smp = "mailbox").
    func testXenPlatformWithCPUUpNeedsNoGeneratedSMP() throws {
        for name in ["exynos5250-arndale.dtb", "am57xx-beagle-x15.dtb"] {
            let path = try TestInputs.corpusFile(name)
            let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            let r = try XCTUnwrap(Reach.row(tree: tree, file: name, model: BoardModel(tree: tree, file: name)), name)
            XCTAssertNil(r.blocker, "\(name): \(String(describing: r.blocker))")
            XCTAssertEqual(r.combination?.arch, .arm32, name)
        }
    }

    /// A20 / H3 / i.MX7D / Jetson TK1 trees have no /psci: U-Boot adds it at boot, so `new` writes smp = "none" and
    /// says why; other SoCs without PSCI (RK3288) stay blocked.
    func testBootLoaderPSCISettlesTheSecondaryCPUs() throws {
        for (name, soc) in [("sun7i-a20-cubietruck.dtb", "A20"), ("sun8i-h3-orangepi-pc.dtb", "H3"), ("imx7d-sdb.dtb", "i.MX7D"),
                            ("tegra124-jetson-tk1.dtb", "Tegra124"), ("freescale/fsl-ls1043a-rdb.dtb", "Layerscape"), ("freescale/fsl-ls1028a-rdb.dtb", "Layerscape")] {
            let path = try TestInputs.corpusFile(name)
            let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            let model = BoardModel(tree: tree, file: name, version: .v4_17)
            XCTAssertTrue(model.blockers.contains { [.cpuNoBringup, .cpuNoEnableMethod, .cpuPSCIUnavailable].contains($0.code) },
                          "\(name): the tree alone has no way to start the CPUs")
            let r = try XCTUnwrap(Reach.row(tree: tree, file: name, model: model), name)
            XCTAssertNil(r.blocker, "\(name): \(String(describing: r.blocker))")
            let plan = NewBoardPlan(name: "b", dtbKey: "path", dtbValue: path, dtbSource: path, tree: tree, arch: model.architecture, qemu: nil, xenVersion: .v4_17)
            XCTAssertTrue(plan.bootLoaderPSCI?.soc.contains(soc) ?? false, name)
            XCTAssertTrue(plan.text.contains("[platform]\n# No /psci in the tree: the "), plan.text)
            XCTAssertTrue(plan.text.contains("\nsmp = \"none\"\n"), plan.text)
            XCTAssertFalse(plan.open.contains { $0.what.contains("[cpu-no-") || $0.what.contains("[cpu-psci-") }, "\(name): settled, not open")
        }
        let path = try TestInputs.corpusFile("tegra124-nyan-big.dtb")
        let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let r = try XCTUnwrap(Reach.row(tree: tree, file: "tegra124-nyan-big.dtb", model: BoardModel(tree: tree, version: .v4_17)))
        XCTAssertEqual(r.blocker, .boardBlocker(.cpuNoBringup), "U-Boot's TARGET_NYAN_BIG does not select ARCH_SUPPORT_PSCI")
    }

    /// With Xen 4.20 (Debian 13), omap5-uevm's board file names a prebuilt package Debian 13 does not ship: the
    /// blocker is typed as the board file not parsing back, whatever its message says.
    func testBoardFileThatDoesNotParseIsTypedAsSuch() throws {
        let path = try TestInputs.corpusFile("omap5-uevm.dtb")
        let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let r = try XCTUnwrap(Reach.row(tree: tree, file: "omap5-uevm.dtb", model: BoardModel(tree: tree, version: .v4_20)))
        XCTAssertEqual(r.blocker?.genFailure, .boardFileInvalid, "\(String(describing: r.blocker))")
        XCTAssertEqual(r.blocker?.kind, "gen-failed")
        XCTAssertTrue(r.blocker?.detail.hasPrefix("new's board file does not parse: reach.toml:") ?? false, "\(String(describing: r.blocker))")
        let ok = try XCTUnwrap(Reach.row(tree: tree, file: "omap5-uevm.dtb", model: BoardModel(tree: tree, version: .v4_17)))
        XCTAssertNil(ok.blocker?.genFailure, "\(String(describing: ok.blocker))")
    }

    /// A tree whose every UART is disabled is no missing driver: the blocker detail says so (am57xx-cl-som-am57x:
    /// serial0 and all other UARTs have status = "disabled").
    func testAllUARTsDisabledIsNamedAsSuch() throws {
        let path = try TestInputs.corpusFile("am57xx-cl-som-am57x.dtb")
        let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let r = try XCTUnwrap(Reach.row(tree: tree, file: "am57xx-cl-som-am57x.dtb", model: BoardModel(tree: tree, version: .v4_17)))
        XCTAssertEqual(r.blocker, .consoleNoDriver(compatible: "ti,dra742-uart (disabled; the tree enables no UART new can drive)"))
    }

    /// RK3288 has no boot-loader PSCI; its start-up (PMU power domain + boot-ROM SRAM mailbox) is generated.
    func testRK3288ReachesThroughTheGeneratedPowerUp() throws {
        let path = try TestInputs.corpusFile("rk3288-firefly.dtb")
        let tree = try DTBDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let r = try XCTUnwrap(Reach.row(tree: tree, file: "rk3288-firefly.dtb", model: BoardModel(tree: tree, version: .v4_17)))
        XCTAssertNil(r.blocker, "\(String(describing: r.blocker))")
        XCTAssertEqual(r.combination?.hooks, ["reset", "smp-power-bit-sev"])
        XCTAssertEqual(r.combination?.driver, "xen:ns16550")
    }

    func testSummaryCountsBoardsWhoseCombinationPassed() throws {
        let pl011 = CompileCombination(driver: "xen:pl011", arch: .arm64, hooks: [], xen: .v4_20)
        let imx = CompileCombination(driver: "generated:imx-uart", arch: .arm64, hooks: ["reset"], xen: .v4_20)
        let rows = [
            ReachRow(file: "a.dtb", family: ConsoleFamily(.xen, "pl011"), combination: pl011, blocker: nil),
            ReachRow(file: "b.dtb", family: ConsoleFamily(.xen, "pl011"), combination: pl011, blocker: nil),
            ReachRow(file: "c.dtb", family: ConsoleFamily(.generated, "imx-uart"), combination: imx, blocker: nil),
            ReachRow(file: "d.dtb", family: ConsoleFamily(.xen, "scif"), combination: nil, blocker: .boardBlocker(.cpuNoBringup)),
        ]
        let unchecked = ReachSummary(rows: rows, results: nil)
        XCTAssertNil(unchecked.compileChecked)
        XCTAssertEqual(unchecked.generated.boards, 3)
        XCTAssertEqual(unchecked.bootedFamily.boards, 3, "pl011 and the generated i.MX driver are booted in CI, scif is not")
        XCTAssertEqual(unchecked.combinations.first.map { "\($0.key) \($0.boards) \($0.example)" }, "xen:pl011/arm64/none/xen-4.20 2 a.dtb")
        let results = try CompileCheckResults(parsing: "# run\npassed xen:pl011/arm64/none/xen-4.20 a.dtb 12.5\n", file: "r.txt")
        let s = ReachSummary(rows: rows, results: results)
        XCTAssertEqual(s.compileChecked?.boards, 2)
        XCTAssertEqual(s.compileChecked?.of, 4)
        XCTAssertEqual(Set(s.blockers.map { "\($0.kind) \($0.detail) \($0.boards)" }),
                       ["not-compile-checked generated:imx-uart/arm64/reset/xen-4.20 1", "board-blocker cpu-no-bringup 1"])
        let failed = ReachSummary(rows: rows, results: try CompileCheckResults(parsing: "failed generated:imx-uart/arm64/reset/xen-4.20\npassed xen:pl011/arm64/none/xen-4.20\n", file: "r.txt"))
        XCTAssertEqual(failed.blockers.first { $0.kind == "compile-failed" }?.boards, 1)
        XCTAssertTrue(failed.text.contains("(b) new + gen output compile-checks in Xen: 2/4 = 50.0%"), failed.text)
    }

    func testBadResultsFileNamesTheLine() {
        XCTAssertThrowsError(try CompileCheckResults(parsing: "passed xen:pl011/arm64/none/xen-4.20\nok xen:pl011/arm64/none/xen-4.20\n", file: "r.txt")) {
            XCTAssertEqual("\($0)".prefix(9), "r.txt:2: ")
        }
        XCTAssertThrowsError(try CompileCheckResults(parsing: "passed not-a-key\n", file: "r.txt")) {
            XCTAssertTrue("\($0)".hasPrefix("r.txt:1: "), "\($0)")
        }
        XCTAssertThrowsError(try CompileCheckResults(parsing: "passed a/arm64/none/xen-4.20\nfailed a/arm64/none/xen-4.20\n", file: "r.txt")) {
            XCTAssertTrue("\($0)".contains("both passed and failed"), "\($0)")
        }
    }

    /// Every boot test `ConsoleFamily.bootedInCI` names exists in Tests/BootTests (share (a) rests on them).
    func testBootedFamiliesNameRealBootTests() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("BootTests")
        var sources = ""
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".swift") {
            sources += try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
        }
        XCTAssertFalse(ConsoleFamily.bootedInCI.isEmpty)
        for b in ConsoleFamily.bootedInCI {
            let parts = b.test.split(separator: ".")
            XCTAssertEqual(parts.count, 2, b.test)
            XCTAssertTrue(sources.contains("class \(parts[0]): XCTestCase"), "\(b.test): no class \(parts[0])")
            XCTAssertTrue(sources.contains("func \(parts[1])()"), "\(b.test): no test \(parts[1])")
            let board = dir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("boards/\(b.board).toml")
            let text = try String(contentsOf: board, encoding: .utf8)
            XCTAssertTrue(text.contains("status = \"ci-boot\""), "\(b.board) is a ci-boot board")
        }
    }
}
