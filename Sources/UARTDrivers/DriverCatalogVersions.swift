import XenArm

/// The drivers that differ between Xen versions (the rest are the same in 4.17 and 4.20: `DriverCatalog`).
extension DriverCatalog {
    static let xen417: [XenUARTDriver] = [pl011_417, ns16550, cadence, exynos4210, omap417, scif, meson, mvebu, imxLPUART417]
    static let xen420: [XenUARTDriver] = [pl011_420, ns16550, cadence, exynos4210, omap420, scif, meson, mvebu, imxLPUART420, linflex420]

    static let pl011_417 = XenUARTDriver(
        name: "pl011", source: "xen/drivers/char/pl011.c", kconfig: "HAS_PL011", architectures: [.arm64, .arm32],
        compatibles: ["arm,pl011"], requiredProperties: [],
        earlyPrintk: ["arm,pl011": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_PL011")],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    /// 4.18 added the SBSA generic UART (32-bit accesses only: `EARLY_UART_PL011_MMIO32` for early printk).
    static let pl011_420 = XenUARTDriver(
        name: "pl011", source: "xen/drivers/char/pl011.c", kconfig: "HAS_PL011", architectures: [.arm64, .arm32],
        compatibles: ["arm,pl011", "arm,sbsa-uart"], requiredProperties: [],
        earlyPrintk: [
            "arm,pl011": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_PL011"),
            "arm,sbsa-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_PL011", extraLines: ["CONFIG_EARLY_UART_PL011_MMIO32=y"]),
        ],
        fixedRegShift: nil, fixedRegIoWidth: nil)

    // OMAP UARTs are 8250-compatible with a 4-byte stride; the presets (OMAP5432, DRA7) use 8250 + shift 2.
    static let omap417 = XenUARTDriver(
        name: "omap", source: "xen/drivers/char/omap-uart.c", kconfig: "HAS_OMAP", architectures: [.arm32],
        compatibles: ["ti,omap4-uart"], requiredProperties: ["clock-frequency"],
        earlyPrintk: ["ti,omap4-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2))],
        fixedRegShift: 2, fixedRegIoWidth: 4)
    /// 4.19 matched the TI K3 UART and built the driver for arm64 too.
    static let omap420 = XenUARTDriver(
        name: "omap", source: "xen/drivers/char/omap-uart.c", kconfig: "HAS_OMAP", architectures: [.arm32, .arm64],
        compatibles: ["ti,omap4-uart", "ti,am654-uart"], requiredProperties: ["clock-frequency"],
        earlyPrintk: [
            "ti,omap4-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2)),
            "ti,am654-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2)),
        ],
        fixedRegShift: 2, fixedRegIoWidth: 4)

    static let imxLPUART417 = XenUARTDriver(
        name: "imx-lpuart", source: "xen/drivers/char/imx-lpuart.c", kconfig: "HAS_IMX_LPUART", architectures: [.arm64],
        compatibles: ["fsl,imx8qm-lpuart"], requiredProperties: [],
        earlyPrintk: ["fsl,imx8qm-lpuart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_IMX_LPUART", architectures: [.arm64])],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    /// 4.19 replaced the i.MX8QM compatible with the i.MX8QXP one (the i.MX8QM trees list both).
    static let imxLPUART420 = XenUARTDriver(
        name: "imx-lpuart", source: "xen/drivers/char/imx-lpuart.c", kconfig: "HAS_IMX_LPUART", architectures: [.arm64],
        compatibles: ["fsl,imx8qxp-lpuart"], requiredProperties: [],
        earlyPrintk: ["fsl,imx8qxp-lpuart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_IMX_LPUART", architectures: [.arm64])],
        fixedRegShift: nil, fixedRegIoWidth: nil)

    static let linflexCompatibles = ["nxp,s32g2-linflexuart", "nxp,s32g3-linflexuart", "fsl,s32v234-linflexuart"]
    /// 4.20: NXP S32 LINFlexD.
    static let linflex420 = XenUARTDriver(
        name: "linflex", source: "xen/drivers/char/linflex-uart.c", kconfig: "HAS_LINFLEX", architectures: [.arm64],
        compatibles: linflexCompatibles, requiredProperties: [],
        earlyPrintk: Dictionary(uniqueKeysWithValues: linflexCompatibles.map {
            ($0, EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_LINFLEX", architectures: [.arm64]))
        }),
        fixedRegShift: nil, fixedRegIoWidth: nil)
}
