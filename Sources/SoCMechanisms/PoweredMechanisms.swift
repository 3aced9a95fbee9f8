/// Catalog entries for SoCs whose secondary cores must be powered up through a power controller before their boot
/// ROM reads a mailbox (data; `MechanismMatch` derives physical addresses, `PlatformCodeSMP` generates the C).
extension KnownMechanisms {
    static let poweredSMP: [SMPMechanism] = [rk3288, rk3036, exynos5420SecureFirmware, exynos5420]

    /// RK3036 (2 Cortex-A7, no PMU: Linux's rk3036_smp_prepare_cpus sets has_pmu = false): a core is started by
    /// releasing its soft reset in the CRU (rk3036.dtsi: cpu@f0N has resets = <&cru SRST_CORE N>, bit N of
    /// CRU_SOFTRST_CON0 at CRU + 0x110, written with the hiword mask), then the same boot-ROM SRAM mailbox as RK3288.
    static let rk3036 = SMPMechanism(
        name: "RK3036 CRU core reset + boot-ROM SRAM mailbox", enableMethod: "rockchip,rk3036-smp", compatible: "rockchip,rk3066-smp-sram",
        kind: .powered(power: CorePowerControl(compatible: "rockchip,rk3036-cru", controlOffset: 0x110, statusOffset: 0x110,
                                               layout: .hiwordResetPerCore, coresPerCluster: nil, cores: 2),
                       handoff: rockchipMailbox),
        source: "Linux arch/arm/mach-rockchip/platsmp.c rk3036_smp_prepare_cpus (has_pmu = false), pmu_set_power_domain (reset_control_deassert), rockchip_boot_secondary; drivers/clk/rockchip/clk-rk3036.c + softrst.c (RK2928_SOFTRST_CON(0) = 0x110, HIWORD_MASK deassert = BIT(n) << 16)",
        socCompatibles: ["rockchip,rk3036"])

    /// The Rockchip boot ROM's mailbox (rockchip_boot_secondary): 1 ms for the ROM, SRAM+8 = entry, SRAM+4 = 0xDEADBEAF, sev.
    static let rockchipMailbox = BootHandoff(writes: [.init(offset: 0x8, value: .entryPoint), .init(offset: 0x4, value: .constant(0xDEAD_BEAF))],
                                             perCore: true, settleMilliseconds: 1, firmwareCall: nil, wake: .sev)

    /// RK3288 (4 Cortex-A17): each core has a power domain in the PMU (bit N of PMU_PWRDN_CON, state in
    /// PMU_PWRDN_ST; set = off). Once powered, the boot ROM runs its start-up code and waits in `wfe` until SRAM+4
    /// holds 0xDEADBEAF, then jumps to the address in SRAM+8. Linux waits 1 ms before the writes, then dsb + sev.
    /// The A9 path of the same file (RK3066/RK3188: trampoline copied to SRAM, SCU) does not apply to the A17.
    static let rk3288 = SMPMechanism(
        name: "RK3288 PMU core power domains + boot-ROM SRAM mailbox", enableMethod: "rockchip,rk3066-smp",
        compatible: "rockchip,rk3066-smp-sram",
        kind: .powered(power: CorePowerControl(compatible: "rockchip,rk3288-pmu", controlOffset: 0x08, statusOffset: 0x0c,
                                               layout: .bitPerCoreSetIsOff, coresPerCluster: nil, cores: 4),
                       handoff: rockchipMailbox),
        source: "Linux arch/arm/mach-rockchip/platsmp.c (torvalds/linux 03d2c0fa) lines 39-40 PMU_PWRDN_CON/ST, pmu_set_power_domain, rockchip_boot_secondary",
        socCompatibles: ["rockchip,rk3288"])

    /// Exynos 5420/5422/5800 under Samsung's secure firmware: the boot address goes to non-secure SYSRAM + 0x1c,
    /// and the firmware is told with SMC_CMD_CPU1BOOT (-4, core index) before the wake-up SGI.
    static let exynos5420SecureFirmware = SMPMechanism(
        name: "Exynos 5420/5800 PMU core power + secure-firmware boot address (SYSRAM-NS + 0x1c)", enableMethod: nil,
        compatible: "samsung,exynos4210-sysram-ns",
        kind: .powered(power: exynos5420Power,
                       handoff: BootHandoff(writes: [.init(offset: 0x1c, value: .entryPoint)], perCore: false, settleMilliseconds: 0,
                                            firmwareCall: 0xFFFF_FFFC, wake: .sgi)),
        source: "Linux arch/arm/mach-exynos/firmware.c exynos_set_cpu_boot_addr, exynos_cpu_boot; platsmp.c exynos_boot_secondary; Xen 4.17 xen/arch/arm/platforms/exynos5.c lines 32-37, 110, 252",
        socCompatibles: exynos5420Roots, conditions: [NodeCondition(compatible: "samsung,secure-firmware", present: true)])

    /// Exynos 5420/5422/5800 without secure firmware: the boot address goes to SYSRAM + 4 (Linux cpu_boot_reg adds
    /// 4 on the 5420 and 5800; Xen's exynos5 platform, written for the 5250/5410, uses offset 0).
    static let exynos5420 = SMPMechanism(
        name: "Exynos 5420/5800 PMU core power + SYSRAM boot address (SYSRAM + 4)", enableMethod: nil,
        compatible: "samsung,exynos4210-sysram",
        kind: .powered(power: exynos5420Power,
                       handoff: BootHandoff(writes: [.init(offset: 0x4, value: .entryPoint)], perCore: false, settleMilliseconds: 0,
                                            firmwareCall: nil, wake: .sgi)),
        source: "Linux arch/arm/mach-exynos/platsmp.c cpu_boot_reg, exynos_boot_secondary; mcpm-exynos.c (core = cpu + cluster * 4); Xen 4.17 xen/arch/arm/platforms/exynos5.c lines 32-35, 155-162",
        socCompatibles: exynos5420Roots, conditions: [NodeCondition(compatible: "samsung,secure-firmware", present: false)])

    static let exynos5420Roots = ["samsung,exynos5420", "samsung,exynos5800"]

    /// ARM_CORE_CONFIGURATION(n) at PMU + 0x2000 + 0x80 * n (LOCAL_PWR_EN = 0x3), ARM_CORE_STATUS(n) 4 bytes on;
    /// two clusters of four (the A15s are cluster 0, the A7s cluster 1: indices 4-7).
    static let exynos5420Power = CorePowerControl(compatible: "samsung,exynos5420-pmu", controlOffset: 0x2000, statusOffset: 0x2004,
                                                  layout: .registerPerCore(stride: 0x80, value: 0x3), coresPerCluster: 4, cores: 8)
}
