import DeviceTree
import XenArm

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
    /// Whose PSCI and which version (`ARMV7_PSCI_0_1` is U-Boot's default on sunxi, `ARMV7_PSCI_1_0` elsewhere).
    public let psci: String
    /// Where the facts come from (U-Boot source files and Kconfig symbols).
    public let source: String
    /// What a person must still check (e.g. a defconfig that turns HYP entry off).
    public let caveat: String?
    public var architecture: Architecture = .arm32
    /// The tree's blockers the boot loader's fix-up settles.
    public var settles: Set<FindingCode> = [.cpuNoBringup]

    static let sunxi = "arch/arm/cpu/armv7/sunxi/psci.c"

    public static let catalog: [BootLoaderPSCI] = [
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun6i-a31", "allwinner,sun6i-a31s"], soc: "Allwinner A31/A31s", psci: "U-Boot's own PSCI 0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN6I selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun7i-a20"], soc: "Allwinner A20", psci: "U-Boot's own PSCI 0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN7I selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-a23", "allwinner,sun8i-a33"], soc: "Allwinner A23/A33", psci: "U-Boot's own PSCI 0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_A23 / MACH_SUN8I_A33 select ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-h3", "allwinner,sun8i-h2-plus"], soc: "Allwinner H3/H2+", psci: "U-Boot's own PSCI 0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_H3 selects ARCH_SUPPORT_PSCI (H2+ boards build as MACH_SUN8I_H3: configs/orangepi_zero_defconfig)",
                       caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["allwinner,sun8i-r40"], soc: "Allwinner R40", psci: "U-Boot's own PSCI 0.1",
                       source: "U-Boot \(sunxi); arch/arm/mach-sunxi/Kconfig MACH_SUN8I_R40 selects ARCH_SUPPORT_PSCI", caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["nvidia,jetson-tk1", "toradex,apalis-tk1"], soc: "NVIDIA Tegra124 (Jetson TK1, Apalis TK1)", psci: "U-Boot's own PSCI 1.0",
                       source: "U-Boot arch/arm/mach-tegra/psci.S; arch/arm/mach-tegra/tegra124/Kconfig TARGET_JETSON_TK1 / TARGET_APALIS_TK1 select ARCH_SUPPORT_PSCI",
                       caveat: nil),
        BootLoaderPSCI(rootCompatibles: ["fsl,imx7d"], soc: "NXP i.MX7D", psci: "U-Boot's own PSCI 1.0",
                       source: "U-Boot arch/arm/mach-imx/mx7/psci-mx7.c; arch/arm/mach-imx/mx7/Kconfig MX7 selects ARCH_SUPPORT_PSCI",
                       caveat: "U-Boot's mx7dsabresd_defconfig turns CONFIG_ARMV7_VIRT off: build U-Boot with CONFIG_ARMV7_VIRT=y so Xen is entered in HYP"),
        layerscape,
    ]

    /// arm64 Layerscape: U-Boot's `ft_cpu_setup` -> `ft_fixup_cpu` writes `enable-method = "spin-table"` and
    /// `cpu-release-addr` into every online CPU unless the secure firmware (PPA or TF-A) has PSCI, in which case
    /// `arch_fixup_fdt` -> `psci_update_dt` -> `fdt_psci` adds `/psci` and `enable-method = "psci"`.
    static let layerscape: BootLoaderPSCI = {
        var e = BootLoaderPSCI(
            rootCompatibles: ["fsl,ls1028a", "fsl,ls1043a", "fsl,ls1046a", "fsl,ls1088a", "fsl,ls2080a", "fsl,ls2081a", "fsl,ls2088a"],
            soc: "NXP Layerscape", psci: "the secure firmware's PSCI (PPA or TF-A; without it, a U-Boot spin table)",
            source: "U-Boot arch/arm/cpu/armv8/fsl-layerscape/fdt.c ft_fixup_cpu; arch/arm/lib/bootm-fdt.c arch_fixup_fdt -> psci_update_dt; FSL_LS_PPA selects SEC_FIRMWARE_ARMV8_PSCI",
            caveat: nil)
        e.architecture = .arm64
        e.settles = [.cpuNoBringup, .cpuNoEnableMethod, .cpuPSCIUnavailable]
        return e
    }()

    /// The entry for a tree's root compatibles and Xen architecture, if any.
    public static func match(rootCompatibles: [String], arch: Architecture) -> BootLoaderPSCI? {
        catalog.first { e in e.architecture == arch && e.rootCompatibles.contains(where: rootCompatibles.contains) }
    }

    /// One sentence for the board file and `new`'s summary.
    public var explanation: String {
        "the \(soc)'s secondary CPUs start through \(psci), which U-Boot adds to the tree at boot (/psci and enable-method; \(source))"
            + (caveat.map { "; \($0)" } ?? "") + "; with a boot loader without PSCI, set smp = \"mailbox\" + smp-mailbox instead"
    }
}
