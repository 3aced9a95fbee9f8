import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Issue 5's proof: Xen built from Debian's source with xen-board's generated files boots under QEMU.
final class SourceXenBootTests: XCTestCase {
    var work: URL!
    static let repo = XenBoardCLI.repository

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-srcxen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try requireFiles(["aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc"].map { "/usr/bin/" + $0 })
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func xb(_ args: [String]) throws -> ProcessResult { try XenBoardCLI.run(args, in: work) }

    /// `checkInput`: `boot --check-input` (Xen's debug-key help after CTRL-a x3 + h) must pass too.
    func bootWithSourceXen(_ board: String, checkInput: Bool = false) throws -> String {
        let out = work.appendingPathComponent(board).path
        let build = try xb(["build", board, "--out", out, "--xen", "source"])
        XCTAssertEqual(build.status, 0, "build --xen source: \(build.stderr.suffix(3000))")
        guard build.status == 0 else { return "" }
        let boot = try xb(["boot", board, "--out", out, "--timeout", "240"] + (checkInput ? ["--check-input"] : []))
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(boot.status, 0, "\(boot.stderr)\n\(console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n"))")
        return console
    }

    /// vexpress: the generated platform replaces Xen's vexpress.c, with generated SMP bring-up and early printk.
    func testVexpressWithGeneratedPlatform() throws {
        let console = try bootWithSourceXen("vexpress")
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertTrue(console.contains("- UART enabled -") || console.contains("- Boot CPU booting -"), "early printk output:\n\(tail)")
        XCTAssertTrue(console.contains("Platform: XEN-BOARD VEXPRESS"), "generated platform matched:\n\(tail)")
        XCTAssertTrue(console.contains("xb_vexpress: secondary entry"), "generated smp_init ran")
        XCTAssertTrue(console.contains("Brought up 2 CPUs"), tail)
        XCTAssertTrue(console.contains("XEN-BOARD-REPORT-END"), "Dom0 report")
        XCTAssertFalse(console.contains("Platform: VERSATILE EXPRESS"), "Xen's own vexpress.c was not built")
    }

    /// ast2600-evb: no Xen release starts its secondary CPU or resets it. The generated platform (recognised from the
    /// DT: boot-ROM pen, watchdog) brings up CPU1, Dom0 reports and asks for a reboot, and the machine resets (boot
    /// waits for Xen's banner a second time and fails on "Platform reset did not work").
    func testAST2600WithGeneratedSMPAndReset() throws {
        let console = try bootWithSourceXen("ast2600-evb")
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertTrue(console.contains("Platform: XEN-BOARD AST2600"), "generated platform matched:\n\(tail)")
        XCTAssertTrue(console.contains("xb_ast2600_evb: releasing CPU1 (id 1) from the boot pen"), "generated cpu_up ran:\n\(tail)")
        XCTAssertTrue(console.contains("CPU 1 booted."), "CPU1 started from the pen:\n\(tail)")
        XCTAssertTrue(console.contains("Brought up 2 CPUs"), tail)
        XCTAssertTrue(console.contains("XEN-BOARD-REPORT-END"), "Dom0 report")
        XCTAssertTrue(console.contains("Dom0 shutdown: rebooting machine"), "Dom0 asked for the reboot:\n\(tail)")
        XCTAssertFalse(console.contains("Platform reset did not work"), tail)
        let afterReport = console.components(separatedBy: "XEN-BOARD-REPORT-END").dropFirst().joined()
        XCTAssertTrue(afterReport.contains("Xen version"), "the machine reset and Xen started again:\n\(tail)")
    }

    /// qemu-virt-arm64: generated config only (early printk on the PL011), no platform file.
    func testQEMUVirtArm64WithGeneratedConfig() throws {
        let console = try bootWithSourceXen("qemu-virt-arm64")
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertTrue(console.contains("- UART enabled -") || console.contains("- Boot CPU booting -"), "early printk output:\n\(tail)")
        XCTAssertTrue(console.contains("Platform: Generic System"), tail)
        XCTAssertTrue(console.contains("XEN-BOARD-REPORT-END"), "Dom0 report")
    }

    /// imx7d-sabre: no Xen release drives the i.MX UART on arm32. Early printk, Xen's console and its input all go
    /// through the driver generated from the i.MX UART description; both CPUs come up; Dom0 (behind the bypassed
    /// GPC) reports 2 vCPUs (`boot` checks the report's CPU count against the board's smp = 2).
    func testIMX7DSabreWithGeneratedIMXDriver() throws {
        let console = try bootWithSourceXen("imx7d-sabre", checkInput: true)
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertTrue(console.contains("- UART enabled -"), "early printk through the generated .inc:\n\(tail)")
        XCTAssertTrue(console.contains("(XEN) Brought up 2 CPUs"), tail)
        XCTAssertTrue(console.contains("'h' pressed -> showing installed handlers"), "Xen received input:\n\(tail)")
        XCTAssertTrue(console.components(separatedBy: .newlines).contains("cpus=2"), "Dom0 reports 2 vCPUs:\n\(tail)")
        let gen = work.appendingPathComponent("imx7d-sabre/gen")
        XCTAssertTrue(FileManager.default.fileExists(atPath: gen.appendingPathComponent("xen/drivers/char/xb-imx-uart.c").path))
        let dt = try xb(["dt", "get", work.appendingPathComponent("imx7d-sabre/board.dtb").path, "/soc", "interrupt-parent", "-t", "u32"])
        let gic = try xb(["dt", "get", work.appendingPathComponent("imx7d-sabre/board.dtb").path, "/soc/interrupt-controller@31001000", "phandle", "-t", "u32"])
        XCTAssertEqual(dt.stdout, gic.stdout, "/soc takes its interrupts from the GIC, not the GPC")
    }

    /// qemu-virt-arm64-gen-pl011: Xen without HAS_PL011 (the build checks Kconfig kept "# CONFIG_HAS_PL011 is not
    /// set"), its console and input through the generated PL011 driver.
    func testQEMUVirtArm64WithGeneratedPL011() throws {
        let console = try bootWithSourceXen("qemu-virt-arm64-gen-pl011", checkInput: true)
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertTrue(console.contains("'h' pressed -> showing installed handlers"), tail)
        XCTAssertTrue(console.contains("XEN-BOARD-REPORT-END"), "Dom0 report")
        let fragment = work.appendingPathComponent("qemu-virt-arm64-gen-pl011/gen/xen/arch/arm/configs/xen-board.fragment")
        let text = (try? String(contentsOf: fragment, encoding: .utf8)) ?? ""
        XCTAssertTrue(text.contains("# CONFIG_HAS_PL011 is not set") && text.contains("CONFIG_HAS_XB_PL011=y"), text)
    }
}
