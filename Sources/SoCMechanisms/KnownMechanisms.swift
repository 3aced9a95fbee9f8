/// How waiting secondary CPUs are woken after their mailbox is written.
public enum SecondaryWake: String, Equatable, Sendable { case sgi, sev }

/// SoC mechanisms recognised in a device tree, for boards whose tree says *where* a block is but not how Xen
/// should use it (catalog §1.3). Data: what to match (an enable-method and/or a compatible), offsets from the matched
/// node's first `reg` region (translated through the parents' `ranges`), and the document the register facts were
/// read from. `MechanismMatch` walks these lists in order; the first entry whose node is present and enabled wins.
/// Below the board model (SMP analysis, `inspect`) so that `inspect`, `new` and `gen` see the same mechanisms.
public enum KnownMechanisms {
    /// How a recognised mechanism starts the secondary CPUs (arm32 `smp_init` / `cpu_up`).
    public enum SMPKind: Equatable, Sendable {
        /// Write the entry point into a mailbox (after clearing it with ~0 through `clearOffset`), wake with an
        /// SGI or `sev`.
        case mailbox(setOffset: UInt64, clearOffset: UInt64?, wake: SecondaryWake)
        /// A boot-ROM pen: each CPU waits (in `wfe`) until the signal register holds `goSignal | (MPIDR & 0xff)`,
        /// then jumps to the address in the entry register. `smp_init` parks the pen with `parkSignal`.
        case bootPen(entryOffset: UInt64, signalOffset: UInt64, goSignal: UInt32, parkSignal: UInt32?)
        /// Power the core up through `power` (its own node), then make the `handoff` writes into this entry's node
        /// and wake the core (RK3288, Exynos 5420/5800).
        case powered(power: CorePowerControl, handoff: BootHandoff)
    }

    public struct SMPMechanism: Sendable {
        public let name: String
        /// `enable-method` of the CPU nodes (or of `/cpus`) this entry needs; nil: any.
        public let enableMethod: String?
        /// The node whose first `reg` region the offsets are relative to.
        public let compatible: String
        public let kind: SMPKind
        /// Where the register facts come from (kernel source file and function, or datasheet section).
        public let source: String
        /// The root compatibles (any of) the entry is for; empty: any SoC.
        public var socCompatibles: [String] = []
        /// Nodes that must be present (enabled) or absent for the entry to apply.
        public var conditions: [NodeCondition] = []
    }

    public struct RegisterWrite: Equatable, Sendable {
        public let offset: UInt64
        public let value: UInt32
        public let meaning: String
    }

    public struct ResetSequence: Sendable {
        public let name: String
        public let compatible: String
        public let writes: [RegisterWrite]
        public let source: String
    }

    /// What the hardware offers for powering off, per SoC (root compatible). `writes` empty: it has no mechanism,
    /// and the generated platform has no `poweroff` hook (Xen then halts its CPUs: "Domain 0 halted").
    public struct PowerOff: Equatable, Sendable {
        public let socCompatible: String
        public let writes: [RegisterWrite]
        public let note: String
        public let source: String
    }

    public static let smp: [SMPMechanism] = [
        SMPMechanism(name: "Versatile Express SYS_FLAGS", enableMethod: nil, compatible: "arm,vexpress-sysreg",
                     kind: .mailbox(setOffset: 0x30, clearOffset: 0x34, wake: .sgi),
                     source: "ARM DUI 0447 (Motherboard Express uATX TRM) 4.3 SYS_FLAGS 0x30 / SYS_FLAGSCLR 0x34; Xen 4.17 xen/arch/arm/platforms/vexpress.c"),
        // Linux arch/arm/mach-aspeed/platsmp.c: aspeed_g6_smp_prepare_cpus writes 0xBADABABA to BOOT_SIG (0x04) of
        // the "aspeed,ast2600-smpmem" region; aspeed_g6_boot_secondary writes 0 then the entry point to BOOT_ADDR
        // (0x00), 0xABBAAB00 | cpu to BOOT_SIG, then dsb + sev.
        SMPMechanism(name: "AST2600 boot-ROM pen (SCU smp-memram)", enableMethod: "aspeed,ast2600-smp", compatible: "aspeed,ast2600-smpmem",
                     kind: .bootPen(entryOffset: 0x0, signalOffset: 0x4, goSignal: 0xABBA_AB00, parkSignal: 0xBADA_BABA),
                     source: "Linux arch/arm/mach-aspeed/platsmp.c (aspeed_g6_smp_prepare_cpus, aspeed_g6_boot_secondary); AST2600 SCU180/SCU184"),
        // The same registers addressed from the SCU when a tree has no smp-memram child: SCU+0x180 / SCU+0x184.
        SMPMechanism(name: "AST2600 boot-ROM pen (SCU)", enableMethod: "aspeed,ast2600-smp", compatible: "aspeed,ast2600-scu",
                     kind: .bootPen(entryOffset: 0x180, signalOffset: 0x184, goSignal: 0xABBA_AB00, parkSignal: 0xBADA_BABA),
                     source: "Linux arch/arm/boot/dts/aspeed-g6.dtsi (smp-memram@180 in syscon@1e6e2000) and mach-aspeed/platsmp.c"),
    ] + poweredSMP

    public static let reset: [ResetSequence] = [
        ResetSequence(name: "SP810 system controller", compatible: "arm,sp810",
                      writes: [.init(offset: 0x0, value: 0x3, meaning: "SCCTRL: mode control = normal"),
                               .init(offset: 0x4, value: 0x1, meaning: "SCSYSSTAT: any write resets the system")],
                      source: "ARM DDI 0254 (SP810 TRM) 3.3.1 SCCTRL, 3.3.2 SCSYSSTAT; Xen 4.17 xen/arch/arm/platforms/vexpress.c"),
        // Linux drivers/watchdog/aspeed_wdt.c: registers RELOAD_VALUE 0x04, RESTART 0x08 (magic 0x4755), CTRL 0x0c
        // (ENABLE bit 0, RESET_SYSTEM bit 1, RESET_MODE bits 5-6 = 0 for SoC reset); the counter runs at 1 MHz on
        // the AST2500/AST2600. aspeed_wdt_restart arms it through aspeed_wdt_enable (CTRL = 0, RELOAD, RESTART,
        // CTRL | ENABLE). Linux waits 128 ms; Xen's machine_restart calls the hook again every 100 ms, and each call
        // re-arms the counter, so the count here is 1 ms (1000 ticks).
        ResetSequence(name: "AST2600 watchdog 1", compatible: "aspeed,ast2600-wdt", writes: aspeedWatchdogReset,
                      source: "Linux drivers/watchdog/aspeed_wdt.c (aspeed_wdt_enable, aspeed_wdt_restart, WDT_CTRL_* bits)"),
        ResetSequence(name: "AST2500 watchdog 1", compatible: "aspeed,ast2500-wdt", writes: aspeedWatchdogReset,
                      source: "Linux drivers/watchdog/aspeed_wdt.c (aspeed_wdt_enable, aspeed_wdt_restart, WDT_CTRL_* bits)"),
        // Linux drivers/clk/rockchip/clk.c rockchip_restart_notify writes 0xfdb9 to the CRU's first global soft
        // reset register, which each SoC's clock driver registers (rockchip_register_restart_notifier).
        ResetSequence(name: "RK3288 CRU global soft reset", compatible: "rockchip,rk3288-cru",
                      writes: [.init(offset: 0x1b0, value: 0xfdb9, meaning: "CRU_GLB_SRST_FST: 0xfdb9 starts the first global soft reset")],
                      source: "Linux drivers/clk/rockchip/clk.c rockchip_restart_notify (0xfdb9); clk.h RK3288_GLB_SRST_FST 0x1b0; clk-rk3288.c"),
        ResetSequence(name: "RK3036 CRU global soft reset", compatible: "rockchip,rk3036-cru",
                      writes: [.init(offset: 0x100, value: 0xfdb9, meaning: "CRU_GLB_SRST_FST: 0xfdb9 starts the first global soft reset")],
                      source: "Linux drivers/clk/rockchip/clk.c rockchip_restart_notify (0xfdb9); clk.h RK2928_GLB_SRST_FST 0x100; clk-rk3036.c"),
    ]

    static let aspeedWatchdogReset: [RegisterWrite] = [
        .init(offset: 0x0c, value: 0x0, meaning: "WDT_CTRL: stop the counter"),
        .init(offset: 0x04, value: 1000, meaning: "WDT_RELOAD_VALUE: 1000 ticks of 1 MHz = 1 ms"),
        .init(offset: 0x08, value: 0x4755, meaning: "WDT_RESTART: magic 0x4755 loads the counter"),
        .init(offset: 0x0c, value: 0x3, meaning: "WDT_CTRL: RESET_SYSTEM | ENABLE, reset mode SoC"),
    ]

    public static let powerOff: [PowerOff] = [
        PowerOff(socCompatible: "aspeed,ast2600", writes: [],
                 note: "the AST2600 has no power-off mechanism: it is a BMC powered from standby, and Linux registers no pm_power_off for it (a power-off request halts Xen's CPUs)",
                 source: "Linux arch/arm/mach-aspeed (no power-off code), drivers/watchdog/aspeed_wdt.c (restart only)"),
        PowerOff(socCompatible: "aspeed,ast2500", writes: [],
                 note: "the AST2500 has no power-off mechanism (a BMC powered from standby; Linux has no pm_power_off for it)",
                 source: "Linux arch/arm/mach-aspeed (no power-off code)"),
    ]
}
