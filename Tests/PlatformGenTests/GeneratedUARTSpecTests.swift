import BoardFile
import BoardModel
import DeviceTree
import Foundation
import PlatformGen
import TestSupport
import XCTest

/// A console Xen cannot drive (or `uart-driver = "generated"`): the spec, fragment and port carry the generated driver.
final class GeneratedUARTSpecTests: XCTestCase {
    func dts(_ uart: String) -> String {
        """
        /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board"; interrupt-parent = <&gic>;
          chosen { stdout-path = "/serial@30860000"; };
          psci { compatible = "arm,psci-1.0", "arm,psci-0.2"; method = "smc"; };
          cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0>; enable-method = "psci"; }; };
          gic: interrupt-controller@31001000 { compatible = "arm,cortex-a7-gic"; interrupt-controller; #interrupt-cells = <3>;
            reg = <0x31001000 0x1000>, <0x31002000 0x2000>, <0x31004000 0x2000>, <0x31006000 0x2000>; interrupts = <1 9 0xf04>; };
          timer { compatible = "arm,armv7-timer"; interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>; };
          serial@30860000 { compatible = \(uart); reg = <0x30860000 0x10000>; interrupts = <0 26 4>; };
        };
        """
    }

    func spec(_ uart: String, xen: String = "", arch: String = "arm32") throws -> (PlatformSpec, BoardReport) {
        let t = try decodeDTS(dts(uart))
        let b = try BoardFileParser.parse("description = \"t\"\narch = \"\(arch)\"\nstatus = \"build-only\"\n[dtb]\npath = \"x.dtb\"\n" + xen,
                                          name: "t", file: "/b/t.toml", directory: "/b")
        let m = BoardModel(tree: t, arch: b.arch, uartDriver: b.consoleDriverPreference)
        return (try PlatformSpecBuilder.spec(board: b, tree: t, model: m), BoardReport(m))
    }

    func testIMXConsoleGetsTheGeneratedDriver() throws {
        let (s, r) = try spec("\"fsl,imx7d-uart\", \"fsl,imx6q-uart\"")
        XCTAssertEqual(r.console.verdict, "generated-driver")
        XCTAssertEqual(r.console.generatedDriver, "imx-uart")
        XCTAssertNil(r.console.xenDriver)
        XCTAssertFalse(r.findings.contains { $0.isBlocker && $0.code == .consoleNoXenDriver }, "\(r.findings)")
        XCTAssertEqual(r.console.earlyPrintk, ["CONFIG_EARLY_UART_CHOICE_XB_IMX_UART=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x30860000"])
        XCTAssertEqual(s.generatedUART, "imx-uart")
        XCTAssertEqual(s.uartKconfig, "HAS_XB_IMX_UART")
        XCTAssertNil(s.disabledUARTKconfig, "Xen has no i.MX driver to turn off")
        let fragment = BuildGlue.defconfigFragment(s)
        XCTAssertTrue(fragment.contains("CONFIG_HAS_XB_IMX_UART=y\n"), fragment)
        XCTAssertTrue(fragment.contains("CONFIG_EARLY_UART_CHOICE_XB_IMX_UART=y\n"), fragment)
        let port = try GeneratedPort(spec: s)
        XCTAssertTrue(port.files.contains { $0.path == "xen/drivers/char/xb-imx-uart.c" }, "\(port.files.map(\.path))")
        XCTAssertTrue(port.files.contains { $0.path == GeneratedUART.markerPath && $0.text == "imx-uart\n" })
        // The driver's entries land in Xen's Kconfig, Makefile and Kconfig.debug.
        let edited = try port.editedTreeFiles { path in "# \(path)\nchoice\n\tprompt \"Early printk\"\nendchoice\n\nconfig EARLY_PRINTK\n\tbool\nconfig EARLY_PRINTK_INC\n\tstring\n" }
        XCTAssertFalse(edited.isEmpty)
        XCTAssertTrue(edited.contains { $0.text.contains("config HAS_XB_IMX_UART") }, "\(edited.map(\.path))")
    }

    func testForcedGeneratedDriverTurnsXensOwnOff() throws {
        let (auto, _) = try spec("\"arm,pl011\", \"arm,primecell\"")
        XCTAssertNil(auto.generatedUART, "auto keeps Xen's pl011")
        XCTAssertEqual(auto.uartKconfig, "HAS_PL011")
        let (s, r) = try spec("\"arm,pl011\", \"arm,primecell\"", xen: "[xen]\nuart-driver = \"generated\"\n")
        XCTAssertEqual(r.console.verdict, "generated-driver")
        XCTAssertEqual(s.generatedUART, "pl011")
        XCTAssertEqual(s.disabledUARTKconfig, "HAS_PL011")
        XCTAssertTrue(BuildGlue.defconfigFragment(s).contains("# CONFIG_HAS_PL011 is not set\n"))
    }

    /// A UART with neither a Xen driver nor a description stays a blocker.
    func testUnknownUARTStaysBlocked() throws {
        let (s, r) = try spec("\"vendor,mystery-uart\"")
        XCTAssertEqual(r.console.verdict, "unsupported")
        XCTAssertTrue(r.findings.contains { $0.isBlocker && $0.code == .consoleNoXenDriver })
        XCTAssertNil(s.generatedUART)
    }

    /// A TI K3 console on arm64: the spec selects Xen's omap driver and names the variant; the port carries the
    /// variant's marker, and its edits add the dt_match entries and widen HAS_OMAP in Xen's files.
    func testK3ConsoleGetsTheVariantPatch() throws {
        let (s, r) = try spec("\"ti,j721e-uart\", \"ti,am654-uart\"; clock-frequency = <48000000>", arch: "arm64")
        XCTAssertEqual(r.console.verdict, "compatible-added", "\(r.findings)")
        XCTAssertEqual(s.compatibleVariant, "ti-k3-omap")
        XCTAssertEqual(s.uartKconfig, "HAS_OMAP")
        XCTAssertNil(s.generatedUART)
        let fragment = BuildGlue.defconfigFragment(s)
        XCTAssertTrue(fragment.contains("CONFIG_HAS_OMAP=y\n"), fragment)
        XCTAssertTrue(fragment.contains("CONFIG_EARLY_UART_CHOICE_8250=y\nCONFIG_EARLY_UART_BASE_ADDRESS=0x30860000\nCONFIG_EARLY_UART_8250_REG_SHIFT=2\n"), fragment)
        let port = try GeneratedPort(spec: s)
        XCTAssertTrue(port.files.contains { $0.path == GeneratedUART.variantMarkerPath && $0.text == "ti-k3-omap\n" })
        XCTAssertFalse(port.files.contains { $0.path.hasPrefix("xen/drivers/char/") }, "no generated driver")
        XCTAssertTrue(port.files.contains { $0.path == "README.md" && $0.text.contains("variant \"ti-k3-omap\"") })
        let originals = [
            "xen/drivers/char/omap-uart.c": "static const struct dt_device_match omap_uart_dt_match[] __initconst =\n{\n    DT_MATCH_COMPATIBLE(\"ti,omap4-uart\"),\n    { /* sentinel */ },\n};\n",
            "xen/drivers/char/Kconfig": "config HAS_OMAP\n\tbool \"Texas Instruments OMAP UART driver\"\n\tdefault y\n\tdepends on ARM_32\n\thelp\n",
        ]
        let edited = try port.editedTreeFiles { path in originals[path] ?? "# \(path)\nendchoice\n" }
        let omap = try XCTUnwrap(edited.first { $0.path == "xen/drivers/char/omap-uart.c" }?.text)
        XCTAssertTrue(omap.contains("DT_MATCH_COMPATIBLE(\"ti,omap4-uart\"),\n    DT_MATCH_COMPATIBLE(\"ti,am654-uart\"),"), omap)
        XCTAssertTrue(omap.contains("DT_MATCH_COMPATIBLE(\"ti,j721e-uart\")"), omap)
        let kconfig = try XCTUnwrap(edited.first { $0.path == "xen/drivers/char/Kconfig" }?.text)
        XCTAssertTrue(kconfig.contains("\tdepends on ARM\n") && !kconfig.contains("ARM_32"), kconfig)
        // `xen --files` reads the marker from gen's output and makes the same edits.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xb-variant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in port.files where !f.path.contains("/") { try Data(f.text.utf8).write(to: dir.appendingPathComponent(f.path)) }
        let fromMarker = try GeneratedUART.editsNamed(in: dir) { path in originals[path] ?? "" }
        XCTAssertEqual(fromMarker.map(\.path).sorted(), ["xen/drivers/char/Kconfig", "xen/drivers/char/omap-uart.c"])
        XCTAssertEqual(fromMarker.first { $0.path.hasSuffix(".c") }?.text, omap)
    }
}
