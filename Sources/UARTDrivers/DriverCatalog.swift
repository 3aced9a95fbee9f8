import XenArm

/// Xen's Arm DT UART drivers per Xen version: which compatibles each driver's `dt_match` holds, its Kconfig symbol,
/// and its early-printk choice. Data, not logic: every entry names the driver file it was read from (`source`), and
/// `DriverCatalogSourceTests` checks each compatible and symbol against that version's cached Debian source tree.
/// 4.17: ../shared/reference/xen-4.17-arm-catalog.md §3.2-3.3 (Debian xen 4.17.5); 4.20: Debian 13's xen 4.20.x
/// (docs/xen-versions.md lists what changed and where it was read).
public enum DriverCatalog {
    /// Xen 4.17's drivers (the catalog xen-board started with; callers that do not name a version get these).
    public static let drivers: [XenUARTDriver] = xen417

    /// The drivers of `version`, in the order the console lookup tries them.
    public static func drivers(_ version: XenVersion) -> [XenUARTDriver] {
        switch version {
        case .v4_17: xen417
        case .v4_20: xen420
        }
    }

    /// The driver Xen's `dt_match` would pick for a node's compatible list (Xen tries each driver against
    /// every compatible of the node; the first driver in link order with any match wins).
    public static func driver(for compatibles: [String], arch: Architecture, version: XenVersion = .v4_17) -> (XenUARTDriver, String)? {
        for d in drivers(version) where d.supports(arch) {
            if let c = compatibles.first(where: { d.compatibles.contains($0) }) { return (d, c) }
        }
        return nil
    }

    public static func driver(named name: String, version: XenVersion = .v4_17) -> XenUARTDriver? {
        drivers(version).first { $0.name == name }
    }

    static let ns16550 = XenUARTDriver(
        name: "ns16550", source: "xen/drivers/char/ns16550.c", kconfig: "HAS_NS16550", architectures: [.arm64, .arm32],
        compatibles: ["ns16550", "ns16550a", "snps,dw-apb-uart", "brcm,bcm2835-aux-uart"], requiredProperties: [],
        earlyPrintk: [
            "ns16550": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
            "ns16550a": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
            "snps,dw-apb-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fromDeviceTree),
            "brcm,bcm2835-aux-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_8250", regShift: .fixed(2)),
        ],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    static let cadence = XenUARTDriver(
        name: "cadence", source: "xen/drivers/char/cadence-uart.c", kconfig: "HAS_CADENCE_UART", architectures: [.arm64],
        compatibles: ["cdns,uart-r1p8", "cdns,uart-r1p12"], requiredProperties: [],
        earlyPrintk: [
            "cdns,uart-r1p8": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_CADENCE", architectures: [.arm64]),
            "cdns,uart-r1p12": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_CADENCE", architectures: [.arm64]),
        ],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    static let exynos4210 = XenUARTDriver(
        name: "exynos4210", source: "xen/drivers/char/exynos4210-uart.c", kconfig: "HAS_EXYNOS4210", architectures: [.arm32],
        compatibles: ["samsung,exynos4210-uart"], requiredProperties: [],
        earlyPrintk: ["samsung,exynos4210-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_EXYNOS4210", architectures: [.arm32])],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    static let scif = XenUARTDriver(
        name: "scif", source: "xen/drivers/char/scif-uart.c", kconfig: "HAS_SCIF", architectures: [.arm64, .arm32],
        compatibles: ["renesas,scif", "renesas,scifa", "renesas,hscif"], requiredProperties: [],
        earlyPrintk: [
            "renesas,scif": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF"),
            "renesas,hscif": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF"),
            // Only arm32's debug-scif.inc knows the SCIFA register layout.
            "renesas,scifa": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_SCIF", architectures: [.arm32],
                                                extraLines: ["CONFIG_EARLY_UART_SCIF_VERSION_A=y"]),
        ],
        fixedRegShift: nil, fixedRegIoWidth: nil)
    static let mesonCompatibles = ["amlogic,meson-uart", "amlogic,meson6-uart", "amlogic,meson8-uart", "amlogic,meson8b-uart",
                                   "amlogic,meson-gx-uart"]
    static let meson = XenUARTDriver(
        name: "meson", source: "xen/drivers/char/meson-uart.c", kconfig: "HAS_MESON", architectures: [.arm64],
        compatibles: mesonCompatibles, requiredProperties: [],
        earlyPrintk: Dictionary(uniqueKeysWithValues: mesonCompatibles.map {
            ($0, EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_MESON", architectures: [.arm64]))
        }),
        fixedRegShift: nil, fixedRegIoWidth: nil)
    static let mvebu = XenUARTDriver(
        name: "mvebu", source: "xen/drivers/char/mvebu-uart.c", kconfig: "HAS_MVEBU", architectures: [.arm64],
        compatibles: ["marvell,armada-3700-uart"], requiredProperties: [],
        earlyPrintk: ["marvell,armada-3700-uart": EarlyPrintkSupport(choice: "EARLY_UART_CHOICE_MVEBU", architectures: [.arm64])],
        fixedRegShift: nil, fixedRegIoWidth: nil)
}
