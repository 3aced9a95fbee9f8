/// Secondary-CPU start through a SoC power controller: the boot CPU powers the core up, then hands the core's boot
/// ROM Xen's entry point through mailbox registers and wakes it (RK3288, Exynos 5420/5800). Catalog data is in
/// `KnownMechanisms.smp`; this file holds the typed model the catalog, the matcher and the generator share.
public enum CorePowerLayout: Equatable, Sendable {
    /// One control and one status register for all cores, bit N for core N; a set bit means powered down
    /// (Rockchip PMU_PWRDN_CON / PMU_PWRDN_ST). Power-up clears the control bit and waits for the status bit to clear.
    case bitPerCoreSetIsOff
    /// One configuration/status pair per core, `stride` bytes apart; power-up writes `value` to the configuration
    /// register and waits until `status & value == value` (Exynos ARM_CORE_CONFIGURATION / ARM_CORE_STATUS).
    case registerPerCore(stride: UInt64, value: UInt32)
    /// A soft-reset register with Rockchip's "hiword mask" (bits 16-31 say which of bits 0-15 a write changes),
    /// bit N holding core N in reset: release writes `bit << 16` (mask set, value 0); the core is out of reset when
    /// its bit reads 0 (RK3036 CRU_SOFTRST_CON0, SoCs without a per-core power domain).
    case hiwordResetPerCore
}

/// A value the handoff writes: Xen's entry point (`__pa(init_secondary)`) or a constant (a boot ROM's magic).
public enum HandoffValue: Equatable, Sendable {
    case entryPoint
    case constant(UInt32)
}

/// The power controller of a catalog entry: offsets from the first `reg` region of the node with `compatible`.
public struct CorePowerControl: Equatable, Sendable {
    public let compatible: String
    public let controlOffset: UInt64
    public let statusOffset: UInt64
    public let layout: CorePowerLayout
    /// A core's index is `Aff1 * coresPerCluster + Aff0` of its MPIDR (nil: Aff0 alone).
    public let coresPerCluster: UInt32?
    /// Cores the controller has (an index at or past it is refused by the generated code).
    public let cores: UInt32
}

/// What the boot CPU writes for the core's boot ROM once the core has power, and how it wakes the core.
public struct BootHandoff: Equatable, Sendable {
    public struct Write: Equatable, Sendable {
        /// Offset from the first `reg` region of the mechanism's node (the SRAM the boot ROM reads).
        public let offset: UInt64
        public let value: HandoffValue
    }

    public let writes: [Write]
    /// true: the writes are made in `cpu_up` after power-up, for each core; false: once in `smp_init`.
    public let perCore: Bool
    /// Milliseconds `cpu_up` waits after power-up before the writes (the boot ROM's own start-up, RK3288).
    public let settleMilliseconds: UInt32
    /// An SMC function the secure firmware needs per core, called with the core index (Exynos SMC_CMD_CPU1BOOT).
    public let firmwareCall: UInt32?
    public let wake: SecondaryWake
}

/// The physical form `MechanismMatch` derives from a catalog entry: what the generated `smp_init`/`cpu_up` write.
public struct PoweredStart: Equatable, Sendable {
    public struct Write: Equatable, Sendable {
        public let address: UInt64
        public let value: HandoffValue
        public init(address: UInt64, value: HandoffValue) { self.address = address; self.value = value }
    }

    public let powerControl: UInt64
    public let powerStatus: UInt64
    public let layout: CorePowerLayout
    public let coresPerCluster: UInt32?
    public let cores: UInt32
    public let writes: [Write]
    public let perCore: Bool
    public let settleMilliseconds: UInt32
    public let firmwareCall: UInt32?
    public let wake: SecondaryWake

    public init(powerControl: UInt64, powerStatus: UInt64, layout: CorePowerLayout, coresPerCluster: UInt32?, cores: UInt32,
                writes: [Write], perCore: Bool, settleMilliseconds: UInt32, firmwareCall: UInt32?, wake: SecondaryWake) {
        self.powerControl = powerControl
        self.powerStatus = powerStatus
        self.layout = layout
        self.coresPerCluster = coresPerCluster
        self.cores = cores
        self.writes = writes
        self.perCore = perCore
        self.settleMilliseconds = settleMilliseconds
        self.firmwareCall = firmwareCall
        self.wake = wake
    }

    /// The compile-check / report identity, e.g. "power-bit-sev" or "power-core-sgi-smc".
    public var kindName: String {
        let layoutName: String
        switch layout {
        case .bitPerCoreSetIsOff: layoutName = "bit"
        case .registerPerCore: layoutName = "core"
        case .hiwordResetPerCore: layoutName = "reset"
        }
        return "power-\(layoutName)-\(wake.rawValue)\(firmwareCall == nil ? "" : "-smc")"
    }
}

/// A node that must be present (or absent) for a catalog entry to apply, e.g. Exynos's "samsung,secure-firmware".
public struct NodeCondition: Equatable, Sendable {
    public let compatible: String
    public let present: Bool
    public init(compatible: String, present: Bool) { self.compatible = compatible; self.present = present }
}
