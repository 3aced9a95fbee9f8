import XenArm

/// Hooks a `struct platform_desc` can set (xen/arch/arm/include/asm/platform.h).
public enum PlatformHook: String, Codable, Sendable, CaseIterable {
    case initialize = "init", initTime = "init_time", smpInit = "smp_init", cpuUp = "cpu_up"
    case specificMapping = "specific_mapping", reset, poweroff, smc, quirks
}

/// One built-in Xen 4.17 platform (xen/arch/arm/platforms/*.c, `PLATFORM_START`).
public struct XenPlatform: Sendable, Equatable {
    /// `PLATFORM_START` symbol, e.g. `vexpress`.
    public let symbol: String
    /// The name Xen prints as `Platform: <name>`.
    public let name: String
    public let source: String
    public let compatibles: [String]
    public let architectures: Set<Architecture>
    public let kconfig: String
    public let hooks: Set<PlatformHook>
    /// `blacklist_dev` compatibles: matching nodes (and their subtrees) are not given to Dom0.
    public let blacklist: [String]
    public let dmaBitsize: Int?
    public let quirks: [String]
    /// What `specific_mapping` maps 1:1 into Dom0, as text.
    public let specificMappings: [String]
}

/// Xen 4.17's platforms (../shared/reference/xen-4.17-arm-catalog.md §1.3-1.4), each list in the link order the
/// default build produces: the first descriptor with a matching root compatible wins.
public enum PlatformCatalog {
    static let vexpress = XenPlatform(
        symbol: "vexpress", name: "VERSATILE EXPRESS", source: "xen/arch/arm/platforms/vexpress.c",
        compatibles: ["arm,vexpress"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.smpInit, .cpuUp, .reset],
        blacklist: ["arm,cci-400", "arm,cci-400-pmu", "arm,hdlcd", "arm,vexpress-reset", "arm,vexpress-reboot", "arm,vexpress-shutdown"],
        dmaBitsize: nil, quirks: [], specificMappings: [])
    static let brcm = XenPlatform(
        symbol: "brcm", name: "Broadcom B15", source: "xen/arch/arm/platforms/brcm.c",
        compatibles: ["brcm,bcm7445d0"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.initialize, .smpInit, .cpuUp], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let exynos5250 = XenPlatform(
        symbol: "exynos5250", name: "SAMSUNG EXYNOS5250", source: "xen/arch/arm/platforms/exynos5.c",
        compatibles: ["samsung,exynos5250"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.initTime, .specificMapping, .smpInit, .cpuUp, .reset],
        blacklist: ["samsung,exynos4210-mct", "samsung,secure-firmware"], dmaBitsize: nil, quirks: [],
        specificMappings: ["chip ID 0x10000000 (1 page)", "PWM timer 0x12dd0000 (2 pages)"])
    static let exynos5 = XenPlatform(
        symbol: "exynos5", name: "SAMSUNG EXYNOS5", source: "xen/arch/arm/platforms/exynos5.c",
        compatibles: ["samsung,exynos5410"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.initTime, .smpInit, .cpuUp, .reset],
        blacklist: ["samsung,exynos4210-mct", "samsung,secure-firmware"], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let midway = XenPlatform(
        symbol: "midway", name: "CALXEDA MIDWAY", source: "xen/arch/arm/platforms/midway.c",
        compatibles: ["calxeda,ecx-2000"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.reset], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let omap5 = XenPlatform(
        symbol: "omap5", name: "TI OMAP5", source: "xen/arch/arm/platforms/omap5.c",
        compatibles: ["ti,omap5"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.initTime, .specificMapping, .smpInit, .cpuUp], blacklist: [], dmaBitsize: nil, quirks: [],
        specificMappings: ["PRM 0x4ae06000 (2 pages)", "PRCM MPU 0x48243000", "WKUPGEN 0x48281000", "SRAM 0x40300000 (32 pages)"])
    static let dra7 = XenPlatform(
        symbol: "dra7", name: "TI DRA7", source: "xen/arch/arm/platforms/omap5.c",
        compatibles: ["ti,dra7"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.initTime, .smpInit, .cpuUp], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let rcar2 = XenPlatform(
        symbol: "rcar2", name: "Renesas R-Car Gen2", source: "xen/arch/arm/platforms/rcar2.c",
        compatibles: ["renesas,lager"], architectures: [.arm32], kconfig: "ALL32_PLAT",
        hooks: [.smpInit, .cpuUp], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let seattle = XenPlatform(
        symbol: "seattle", name: "SEATTLE", source: "xen/arch/arm/platforms/seattle.c",
        compatibles: ["amd,seattle"], architectures: [.arm64], kconfig: "ALL64_PLAT",
        hooks: [.reset, .poweroff], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let sunxiV7 = XenPlatform(
        symbol: "sunxi_v7", name: "Allwinner ARMv7", source: "xen/arch/arm/platforms/sunxi.c",
        compatibles: ["allwinner,sun6i-a31", "allwinner,sun6i-a31s", "allwinner,sun7i-a20", "allwinner,sun8i-a23",
                      "allwinner,sun8i-a33", "allwinner,sun8i-h2-plus", "allwinner,sun8i-h3"],
        architectures: [.arm64, .arm32], kconfig: "ALL_PLAT", hooks: [.reset],
        blacklist: ["snps,dw-apb-uart"], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let sunxiV8 = XenPlatform(
        symbol: "sunxi_v8", name: "Allwinner ARMv8", source: "xen/arch/arm/platforms/sunxi.c",
        compatibles: ["allwinner,sun50i-a64", "allwinner,sun50i-h5", "allwinner,sun50i-h6"],
        architectures: [.arm64, .arm32], kconfig: "ALL_PLAT", hooks: [],
        blacklist: ["snps,dw-apb-uart"], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let thunderx = XenPlatform(
        symbol: "thunderx", name: "THUNDERX", source: "xen/arch/arm/platforms/thunderx.c",
        compatibles: ["cavium,thunder-88xx"], architectures: [.arm64], kconfig: "ALL64_PLAT",
        hooks: [], blacklist: ["cavium,smmu-v2"], dmaBitsize: nil, quirks: [], specificMappings: [])
    static let xgeneStorm = XenPlatform(
        symbol: "xgene_storm", name: "APM X-GENE STORM", source: "xen/arch/arm/platforms/xgene-storm.c",
        compatibles: ["apm,xgene-storm"], architectures: [.arm64], kconfig: "ALL64_PLAT",
        hooks: [.initialize, .reset, .quirks], blacklist: [], dmaBitsize: nil, quirks: ["PLATFORM_QUIRK_GIC_64K_STRIDE"],
        specificMappings: [])
    static let rpi4 = XenPlatform(
        symbol: "rpi4", name: "Raspberry Pi 4", source: "xen/arch/arm/platforms/brcm-raspberry-pi.c",
        compatibles: ["brcm,bcm2711"], architectures: [.arm64], kconfig: "ALL64_PLAT",
        hooks: [.reset], blacklist: ["brcm,bcm2835-aux-spi", "brcm,bcm2835-aux", "brcm,bcm2835-pm"], dmaBitsize: 30,
        quirks: [], specificMappings: [])
    static let xilinxZynqMP = XenPlatform(
        symbol: "xilinx_zynqmp", name: "Xilinx ZynqMP", source: "xen/arch/arm/platforms/xilinx-zynqmp.c",
        compatibles: ["xlnx,zynqmp"], architectures: [.arm64], kconfig: "MPSOC_PLATFORM",
        hooks: [.smc], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])

    /// Link order of the default arm64 build (GCC 12 placed sunxi_v8 before sunxi_v7).
    public static let arm64 = [seattle, sunxiV8, sunxiV7, thunderx, xgeneStorm, rpi4, xilinxZynqMP]
    /// Link order of the default arm32 build.
    public static let arm32 = [vexpress, brcm, exynos5, exynos5250, midway, dra7, omap5, rcar2, sunxiV8, sunxiV7]

    /// Xen 4.17's platforms for `arch`, in link order.
    public static func platforms(for arch: Architecture) -> [XenPlatform] { arch == .arm64 ? arm64 : arm32 }

    /// The platform Xen `version` would pick: the first (in link order) with a compatible equal, ignoring case, to
    /// one of the root node's compatibles. Nil means Xen prints `Platform: Generic System`.
    public static func match(rootCompatibles: [String], arch: Architecture, version: XenVersion = .v4_17) -> XenPlatform? {
        let root = Set(rootCompatibles.map { $0.lowercased() })
        return platforms(for: arch, version: version).first { p in p.compatibles.contains { root.contains($0.lowercased()) } }
    }
}
