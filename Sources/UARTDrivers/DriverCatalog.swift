import XenArm

/// Xen 4.17's Arm UART drivers (../shared/reference/xen-4.17-arm-catalog.md §3.2-3.3). Data, not logic.
public enum DriverCatalog {
    public static let drivers: [XenUARTDriver] = [
        XenUARTDriver(
            name: "pl011", source: "xen/drivers/char/pl011.c", kconfig: "HAS_PL011", architectures: [.arm64, .arm32],
            compatibles: ["arm,pl011"], requiredProperties: [],
            earlyPrintk: ["arm,pl011": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_PL011")],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "ns16550", source: "xen/drivers/char/ns16550.c", kconfig: "HAS_NS16550", architectures: [.arm64, .arm32],
            compatibles: ["ns16550", "ns16550a", "snps,dw-apb-uart", "brcm,bcm2835-aux-uart"], requiredProperties: [],
            earlyPrintk: [
                "ns16550": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
                "ns16550a": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
                "snps,dw-apb-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
                "brcm,bcm2835-aux-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2)),
            ],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "cadence", source: "xen/drivers/char/cadence-uart.c", kconfig: "HAS_CADENCE_UART", architectures: [.arm64],
            compatibles: ["cdns,uart-r1p8", "cdns,uart-r1p12"], requiredProperties: [],
            earlyPrintk: [
                "cdns,uart-r1p8": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_CADENCE", architectures: [.arm64]),
                "cdns,uart-r1p12": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_CADENCE", architectures: [.arm64]),
            ],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "exynos4210", source: "xen/drivers/char/exynos4210-uart.c", kconfig: "HAS_EXYNOS4210", architectures: [.arm32],
            compatibles: ["samsung,exynos4210-uart"], requiredProperties: [],
            earlyPrintk: ["samsung,exynos4210-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_EXYNOS4210", architectures: [.arm32])],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "omap", source: "xen/drivers/char/omap-uart.c", kconfig: "HAS_OMAP", architectures: [.arm32],
            compatibles: ["ti,omap4-uart"], requiredProperties: ["clock-frequency"],
            // OMAP UARTs are 8250-compatible with a 4-byte stride; the presets (OMAP5432, DRA7) use 8250 + shift 2.
            earlyPrintk: ["ti,omap4-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2))],
            fixedRegShift: 2, fixedRegIoWidth: 4),
        XenUARTDriver(
            name: "scif", source: "xen/drivers/char/scif-uart.c", kconfig: "HAS_SCIF", architectures: [.arm64, .arm32],
            compatibles: ["renesas,scif", "renesas,scifa", "renesas,hscif"], requiredProperties: [],
            earlyPrintk: [
                "renesas,scif": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF"),
                "renesas,hscif": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF"),
                // Only arm32's debug-scif.inc knows the SCIFA register layout.
                "renesas,scifa": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF", architectures: [.arm32],
                                                    extraLines: ["CONFIG_EARLY_UART_SCIF_VERSION_A=y"]),
            ],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "meson", source: "xen/drivers/char/meson-uart.c", kconfig: "HAS_MESON", architectures: [.arm64],
            compatibles: ["amlogic,meson-uart", "amlogic,meson6-uart", "amlogic,meson8-uart", "amlogic,meson8b-uart",
                          "amlogic,meson-gx-uart"],
            requiredProperties: [],
            earlyPrintk: Dictionary(uniqueKeysWithValues: ["amlogic,meson-uart", "amlogic,meson6-uart", "amlogic,meson8-uart",
                                                           "amlogic,meson8b-uart", "amlogic,meson-gx-uart"].map {
                ($0, EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_MESON", architectures: [.arm64]))
            }),
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "mvebu", source: "xen/drivers/char/mvebu-uart.c", kconfig: "HAS_MVEBU", architectures: [.arm64],
            compatibles: ["marvell,armada-3700-uart"], requiredProperties: [],
            earlyPrintk: ["marvell,armada-3700-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_MVEBU", architectures: [.arm64])],
            fixedRegShift: nil, fixedRegIoWidth: nil),
        XenUARTDriver(
            name: "imx-lpuart", source: "xen/drivers/char/imx-lpuart.c", kconfig: "HAS_IMX_LPUART", architectures: [.arm64],
            compatibles: ["fsl,imx8qm-lpuart"], requiredProperties: [],
            earlyPrintk: ["fsl,imx8qm-lpuart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_IMX_LPUART", architectures: [.arm64])],
            fixedRegShift: nil, fixedRegIoWidth: nil),
    ]

    /// The driver Xen's `dt_match` would pick for a node's compatible list (Xen tries each driver against
    /// every compatible of the node; the first driver in link order with any match wins).
    public static func driver(for compatibles: [String], arch: Architecture) -> (XenUARTDriver, String)? {
        for d in drivers where d.supports(arch) {
            if let c = compatibles.first(where: { d.compatibles.contains($0) }) { return (d, c) }
        }
        return nil
    }

    public static func driver(named name: String) -> XenUARTDriver? { drivers.first { $0.name == name } }
}
