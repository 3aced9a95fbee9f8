import BoardModel
import XenArm
import XCTest

final class ConsoleTests: XCTestCase {
    func testBaselineBoardIsReady() throws {
        let r = try Board().model()
        XCTAssertTrue(r.ready, "\(r.findings)")
        XCTAssertEqual(r.architecture, .arm64)
        XCTAssertEqual(r.console.path, "/serial@9000000")
        XCTAssertEqual(r.console.source, .stdoutPath)
        XCTAssertEqual(r.console.baseAddress, 0x900_0000)
        XCTAssertEqual(r.console.xenDriver, "pl011")
        XCTAssertEqual(r.console.verdict, .supported)
        XCTAssertEqual(r.console.interruptSPI, 1)
        XCTAssertEqual(r.console.dtuart, "serial0")
        XCTAssertEqual(r.console.earlyPrintk, ["CONFIG_EARLY_UART_CHOICE_PL011=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x9000000"])
        XCTAssertTrue(r.hasWarning(.consoleOptionsIgnored), "pl011 ignores the :115200n8 options")
    }

    func testSelectionOrder() throws {
        var b = Board()
        b.chosen = "stdout-path = \"/serial@9000000\";"
        var r = try b.model()
        XCTAssertEqual(r.console.source, .stdoutPath)
        XCTAssertEqual(r.console.dtuart, "serial0", "an alias naming the node is preferred")
        b.chosen = ""
        r = try b.model()
        XCTAssertEqual(r.console.source, .serial0Alias)
        b.aliases = ""
        r = try b.model()
        XCTAssertEqual(r.console.source, .firstSupportedUART)
        XCTAssertEqual(r.console.dtuart, "/serial@9000000")
        b.chosen = "stdout-path = \"serial7\";"
        r = try b.model()
        XCTAssertTrue(r.hasWarning(.stdoutPathUnresolved))
        XCTAssertEqual(r.console.source, .firstSupportedUART)
        b.uart = "serial@9000000 { compatible = \"vendor,mystery-uart\"; reg = <0 0x9000000 0 0x1000>; };"
        r = try b.model()
        XCTAssertTrue(r.hasBlocker(.consoleNone))
        XCTAssertFalse(r.ready)
    }

    func testNS16550PropertiesAndEarlyPrintk() throws {
        var b = Board()
        b.uart = """
        uart0: serial@9000000 { compatible = "snps,dw-apb-uart"; reg = <0 0x9000000 0 0x400>; reg-shift = <2>; reg-io-width = <4>; interrupts = <0 3 4>; };
        """
        var r = try b.model()
        XCTAssertEqual(r.console.xenDriver, "ns16550")
        XCTAssertEqual(r.console.regShift, 2)
        XCTAssertEqual(r.console.regIoWidth, 4)
        XCTAssertEqual(r.console.earlyPrintk, ["CONFIG_EARLY_UART_CHOICE_8250=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x9000000",
                                               "CONFIG_EARLY_UART_8250_REG_SHIFT=2"])
        b.uart = b.uart.replacingOccurrences(of: "reg-io-width = <4>", with: "reg-io-width = <2>")
        r = try b.model()
        XCTAssertTrue(r.hasBlocker(.consoleRegIoWidth), "Xen's ns16550 accepts only 1 or 4")
        XCTAssertEqual(r.console.verdict, .unsupported)
    }

    func testDriverRequirementsArchitectureAndRegisterCompatibility() throws {
        var b = Board()
        // OMAP driver: arm32 only, needs clock-frequency.
        b.uart = "uart0: serial@9000000 { compatible = \"ti,omap4-uart\"; reg = <0 0x9000000 0 0x100>; interrupts = <0 2 4>; };"
        var r = try b.model(arch: .arm32)
        XCTAssertTrue(r.hasBlocker(.consoleMissingProperty))
        r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.verdict, .registerCompatible, "arm64 has no omap driver, but the registers are 8250's")
        XCTAssertEqual(r.console.compatibleDriver, "ns16550")
        XCTAssertTrue(r.hasBlocker(.consoleRegisterCompatible))
        // Cadence exists for arm64 only.
        b.uart = "uart0: serial@9000000 { compatible = \"cdns,uart-r1p12\"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 2 4>; };"
        r = try b.model(arch: .arm32)
        XCTAssertTrue(r.hasBlocker(.consoleDriverWrongArch))
        // A glob with '*' in the middle (Tegra234 has no variant entry: the old table's tree-change advice).
        b.uart = "uart0: serial@9000000 { compatible = \"nvidia,tegra234-uart\"; reg = <0 0x9000000 0 0x40>; };"
        r = try b.model()
        XCTAssertEqual(r.console.verdict, .registerCompatible)
        XCTAssertTrue(r.hasBlocker(.consoleRegisterCompatible))
        // No Xen driver, but a UART description: a generated driver, not a blocker.
        b.uart = "uart0: serial@9000000 { compatible = \"fsl,imx8mq-uart\", \"fsl,imx6q-uart\"; reg = <0 0x9000000 0 0x1000>; };"
        r = try b.model()
        XCTAssertEqual(r.console.verdict, .generatedDriver)
        XCTAssertEqual(r.console.generatedDriver, "imx-uart")
        XCTAssertFalse(r.hasBlocker(.consoleNoXenDriver))
        XCTAssertTrue(r.hasWarning(.consoleGeneratedDriver))
        XCTAssertNil(r.console.xenDriver)
        // No driver at all.
        b.uart = "uart0: serial@9000000 { compatible = \"vendor,mystery-uart\"; reg = <0 0x9000000 0 0x1000>; };"
        r = try b.model()
        XCTAssertEqual(r.console.verdict, .unsupported)
        XCTAssertTrue(r.hasBlocker(.consoleNoXenDriver))
        XCTAssertNil(r.console.xenDriver)
    }

    func testDisabledConsoleAndSCIFAEarlyPrintk() throws {
        var b = Board()
        b.uart = "uart0: serial@9000000 { compatible = \"renesas,scifa\"; reg = <0 0x9000000 0 0x40>; status = \"disabled\"; };"
        var r = try b.model(arch: .arm32)
        XCTAssertTrue(r.hasBlocker(.consoleDisabled))
        XCTAssertEqual(r.console.earlyPrintk.last, "CONFIG_EARLY_UART_SCIF_VERSION_A=y")
        r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.earlyPrintk, [], "arm64's debug-scif.inc has no SCIFA layout")
    }

    func testBaseTranslatedThroughRanges() throws {
        var b = Board()
        b.uart = """
        soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x10000000 0x100000>;
            uart0: serial@2000 { compatible = "arm,pl011"; reg = <0x2000 0x1000>; interrupts = <0 4 4>; }; };
        """
        let r = try b.model()
        XCTAssertEqual(r.console.path, "/soc/serial@2000")
        XCTAssertEqual(r.console.baseAddress, 0x1000_2000)
    }

    /// Consoles a variant (Data/variants) covers: `compatible-added`, no blocker, the driver's early printk for the
    /// compatible it is the same as, and the variant named for `gen`.
    func testCompatibleAddedFromVariantData() throws {
        var b = Board()
        // TI K3 on arm64: Xen 4.17's omap driver is arm32-only; the variant widens HAS_OMAP.
        b.uart = "uart0: serial@9000000 { compatible = \"ti,am654-uart\"; reg = <0 0x9000000 0 0x100>; clock-frequency = <48000000>; interrupts = <0 2 4>; };"
        var r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.verdict, .compatibleAdded, "\(r.findings)")
        XCTAssertTrue(r.ready, "\(r.blockers)")
        XCTAssertEqual(r.console.compatibleDriver, "omap")
        XCTAssertNil(r.console.xenDriver, "Xen 4.17 as shipped has no driver for it")
        XCTAssertEqual(r.console.variant?.name, "ti-k3-omap")
        XCTAssertEqual(Set(r.console.variant?.edits.map(\.path) ?? []), ["xen/drivers/char/Kconfig", "xen/drivers/char/omap-uart.c"])
        XCTAssertEqual(r.console.regShift, 2)
        XCTAssertEqual(r.console.regIoWidth, 4)
        XCTAssertEqual(r.console.earlyPrintk, ["CONFIG_EARLY_UART_CHOICE_8250=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x9000000",
                                               "CONFIG_EARLY_UART_8250_REG_SHIFT=2"])
        XCTAssertTrue(r.hasWarning(.consoleCompatibleAdded))
        let codes = r.findings.map(\.code)
        XCTAssertFalse(codes.contains(.consoleRegisterCompatible) || codes.contains(.consoleNoXenDriver), "\(codes)")
        // The report's text says which files the variant patches and what the board needs (the encoding of the above).
        let text = BoardReport(r).text
        XCTAssertTrue(text.contains("patch (variant ti-k3-omap): xen/drivers/char/Kconfig, xen/drivers/char/omap-uart.c"), text)
        XCTAssertTrue(text.contains("compatible-added: no Xen 4.17 driver matches \"ti,am654-uart\""), text)
        XCTAssertTrue(text.contains("Ready for Xen 4.17 built from source with the console's compatible added to Xen's omap driver"), text)
        // The omap driver's requirement still holds for the variant.
        b.uart = b.uart.replacingOccurrences(of: "clock-frequency = <48000000>; ", with: "")
        r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.verdict, .unsupported)
        XCTAssertTrue(r.hasBlocker(.consoleMissingProperty))
        XCTAssertNil(r.console.variant)
        // Tegra: ns16550 with the tree's reg-shift; early printk 8250 with that shift.
        b.uart = "uart0: serial@9000000 { compatible = \"nvidia,tegra210-uart\", \"nvidia,tegra20-uart\"; reg = <0 0x9000000 0 0x40>; reg-shift = <2>; interrupts = <0 2 4>; };"
        r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.verdict, .compatibleAdded)
        XCTAssertEqual(r.console.variant?.name, "tegra-ns16550")
        XCTAssertEqual(r.console.compatibleDriver, "ns16550")
        XCTAssertEqual(r.console.earlyPrintk.last, "CONFIG_EARLY_UART_8250_REG_SHIFT=2")
        XCTAssertTrue(r.ready, "\(r.blockers)")
        // LPUART variants: imx-lpuart is arm64-only in 4.17 and the variant changes no Kconfig.
        b.uart = "uart0: serial@9000000 { compatible = \"fsl,imx8qxp-lpuart\", \"fsl,imx7ulp-lpuart\"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 2 4>; };"
        r = try b.model(arch: .arm64)
        XCTAssertEqual(r.console.verdict, .compatibleAdded)
        XCTAssertEqual(r.console.earlyPrintk.first, "CONFIG_EARLY_UART_CHOICE_IMX_LPUART=y")
        r = try b.model(arch: .arm32)
        XCTAssertNotEqual(r.console.verdict, .compatibleAdded, "no arm32 imx-lpuart driver to add the compatible to")
        XCTAssertFalse(r.ready)
    }
}
