import DeviceTree

/// SoCs whose usual boot loader (U-Boot) implements PSCI itself and adds it to the device tree it hands over:
/// U-Boot's `fdt_psci` (arch/arm/lib/psci-dt.c, called through `psci_update_dt` in arch/arm/cpu/armv7/virt-dt.c
/// whenever it boots the OS non-secure, which Xen's HYP entry requires) writes `/psci` (method smc) and
/// `enable-method = "psci"` into every CPU node. The kernel's DTB has neither, so `inspect` reports the secondary
/// CPUs as unstartable; on these SoCs `new` writes `[platform] smp = "none"` and says why instead.
/// Facts read from Debian 12's U-Boot source (u-boot 2023.01+dfsg-2+deb12u3).
public struct BootLoaderPSCI: Equatable, Sendable {
    /// Any of these in the root `compatible` selects the entry.
    public let rootCompatibles: [String]
    public let soc: String
    /// The PSCI version U-Boot advertises (`ARMV7_PSCI_0_1` is the default on sunxi, `ARMV7_PSCI_1_0` elsewhere).
    public let psci: String
    /// Where the facts come from (U-Boot source files and Kconfig symbols).
    public let source: String
    /// What a person must still check (e.g. a defconfig that turns HYP entry off).
    public let caveat: String?

    static let sunxi = "arch/arm/cpu/armv7/sunxi/psci.c"

    public static let catalog: [BootLoaderPSCI] = [
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun6i-a31", "allwinner,sun6i-a31s"], soc: "Allwinner A31/A31s", psci: "0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN6I selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun7i-a20"], soc: "Allwinner A20", psci: "0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN7I selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-a23", "allwinner,sun8i-a33"], soc: "Allwinner A23/A33", psci: "0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_A23 / MACH_SUN8I_A33 select ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-h3", "allwinner,sun8i-h2-plus"], soc: "Allwinner H3/H2+", psci: "0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_H3 selects ARCH_SUPPORT_PSCI (H2+ boards build as MACH_SUN8I_H3: configs/orangepi_zero_defconfig)",
                       caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-r40"], soc: "Allwinner R40", psci: "0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_R40 selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["nvidia,jetson-tk1", "toradex,apalis-tk1"], soc: "NVIDIA Tegra124 (Jetson TK1, Apalis TK1)", psci: "1.0",
                       source: "U-Boot arch/arm/mach-tegra/psci.S; arch/arm/mach-tegra/tegra124/Kconfig TARGET_JETSON_TK1 / TARGET_APALIS_TK1 select ARCH_SUPPORT_PSCI",
                       caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["fsl,imx7d"], soc: "NXP i.MX7D", psci: "1.0",
                       source: "U-Boot arch/arm/mach-imx/mx7/psci-mx7.c; arch/arm/mach-imx/mx7/Kconfig MX7 selects ARCH_SUPPORT_PSCI",
                       caveat: "U-Boot's mx7dsabresd_defconfig turns CONFIG_ARMV7_VIRT off: build U-Boot with CONFIG_ARMV7_VIRT=y so Xen is entered in HYP"),
    ]

    /// The entry for a tree's root compatibles, if any.
    public static func match(rootCompatibles: [String]) -> BootLoaderPSCI? {
        catalog.first { e in e.rootCompatibles.contains(where: rootCompatibles.contains) }
    }

    /// One sentence for the board file and `new`'s summary.
    public var explanation: String {
        "the \(soc)'s secondary CPUs start through the PSCI \(psci) U-Boot implements and adds to the tree at boot (/psci and enable-method = \"psci\"; \(source))"
            + (caveat.map { "; \($0)" } ?? "") + "; with a boot loader without PSCI, set smp = \"mailbox\" + smp-mailbox instead"
    }
}
