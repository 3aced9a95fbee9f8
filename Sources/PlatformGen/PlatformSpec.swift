import BoardFile
import SoCMechanisms
import UARTDrivers
import XenArm

/// What a generated Xen platform file must do: the typed model the generators turn into C, Kconfig, Makefile and
/// defconfig text. Built from the board's device tree analysis and its board file (`PlatformSpecBuilder`).
public struct PlatformSpec: Equatable, Sendable {
    /// How secondary CPUs start on an arm32 board without PSCI.
    public enum SMP: Equatable, Sendable {
        /// PSCI or arm64 enable-method: no platform hook.
        case none
        /// Write Xen's entry point into a mailbox register (optionally clearing it first with ~0), then wake the
        /// CPUs with an SGI (`cpu_up_send_sgi`) or `sev`. Versatile Express SYS_FLAGS is this with a clear register.
        case mailbox(set: UInt64, clear: UInt64?, wake: Wake)
        /// Write the entry point to the CPUs' spin-table release address, then `sev`.
        case spinTable(releaseAddress: UInt64)
        /// A boot-ROM pen (AST2600): `smp_init` writes `parkSignal` to the signal register; `cpu_up(cpu)` writes 0
        /// then Xen's entry point to `entry`, `goSignal | (MPIDR & 0xff)` to `signal`, then `dsb` + `sev`.
        case bootPen(entry: UInt64, signal: UInt64, goSignal: UInt32, parkSignal: UInt32?)
        /// Power the core up through the SoC's power controller, then the boot-ROM handoff (RK3288, Exynos 5420):
        /// `cpu_up` powers the core (bounded wait), `smp_init` or `cpu_up` writes the handoff, then SGI or `sev`.
        case powered(PoweredStart)
    }

    public typealias Wake = SecondaryWake

    /// A 32-bit register write (reset / poweroff sequences).
    public struct RegisterWrite: Equatable, Sendable {
        public let address: UInt64
        public let value: UInt32
        public init(address: UInt64, value: UInt32) { self.address = address; self.value = value }
    }

    /// `PLATFORM_START` symbol (C identifier).
    public let symbol: String
    /// The name Xen prints as `Platform: <name>`.
    public let name: String
    public let board: String
    public let arch: Architecture
    public let compatibles: [String]
    public let smp: SMP
    public let reset: [RegisterWrite]
    public let poweroff: [RegisterWrite]
    public let blacklist: [String]
    /// (base, size) ranges mapped 1:1 into Dom0.
    public let specificMappings: [(base: UInt64, size: UInt64)]
    public let dmaBitsize: Int?
    public let gic64KStride: Bool
    /// `HAS_*` symbol of the console UART's driver (selected by the Kconfig entry).
    public let uartKconfig: String?
    /// Early printk lines (`CONFIG_EARLY_UART_*`) from inspect.
    public let earlyPrintk: [String]
    public let nrCPUs: Int
    public let xenCommandLine: String
    /// Why there is no `poweroff` hook when the hardware has no mechanism (generated C comment and README).
    public let poweroffNote: String?
    /// The recognised SoC mechanisms used, each with the source of its register facts (README).
    public let mechanisms: [String]
    /// The UART description whose generated driver is the console (`uartKconfig` is then its `HAS_*` symbol).
    public var generatedUART: String? = nil
    /// The Xen version whose tree the port patches (its layout: driver files, Kconfig anchors).
    public var xenVersion: XenVersion = .v4_17
    /// Xen's own driver for the console, turned off when the generated one replaces it (`uart-driver = "generated"`).
    public var disabledUARTKconfig: String? = nil
    /// The register-compatible variant whose patch adds the console's compatible to Xen's driver (`uartKconfig` is
    /// then that driver's `HAS_*` symbol), e.g. `ti-k3-omap`.
    public var compatibleVariant: String? = nil
    /// Kconfig symbols the board's dom0less properties need (`LLC_COLORING` for `[[domu]] llc-colors`).
    public var featureKconfig: [String] = []

    public init(symbol: String, name: String, board: String, arch: Architecture, compatibles: [String], smp: SMP,
                reset: [RegisterWrite], poweroff: [RegisterWrite], blacklist: [String], specificMappings: [(base: UInt64, size: UInt64)],
                dmaBitsize: Int?, gic64KStride: Bool, uartKconfig: String?, earlyPrintk: [String], nrCPUs: Int, xenCommandLine: String,
                poweroffNote: String? = nil, mechanisms: [String] = []) {
        self.symbol = symbol
        self.name = name
        self.board = board
        self.arch = arch
        self.compatibles = compatibles
        self.smp = smp
        self.reset = reset
        self.poweroff = poweroff
        self.blacklist = blacklist
        self.specificMappings = specificMappings
        self.dmaBitsize = dmaBitsize
        self.gic64KStride = gic64KStride
        self.uartKconfig = uartKconfig
        self.earlyPrintk = earlyPrintk
        self.nrCPUs = nrCPUs
        self.xenCommandLine = xenCommandLine
        self.poweroffNote = poweroffNote
        self.mechanisms = mechanisms
    }

    public static func == (a: PlatformSpec, b: PlatformSpec) -> Bool {
        a.symbol == b.symbol && a.name == b.name && a.board == b.board && a.arch == b.arch && a.compatibles == b.compatibles
            && a.smp == b.smp && a.reset == b.reset && a.poweroff == b.poweroff && a.blacklist == b.blacklist
            && a.specificMappings.map(\.base) == b.specificMappings.map(\.base) && a.specificMappings.map(\.size) == b.specificMappings.map(\.size)
            && a.dmaBitsize == b.dmaBitsize && a.gic64KStride == b.gic64KStride && a.uartKconfig == b.uartKconfig
            && a.earlyPrintk == b.earlyPrintk && a.nrCPUs == b.nrCPUs && a.xenCommandLine == b.xenCommandLine
            && a.poweroffNote == b.poweroffNote && a.mechanisms == b.mechanisms
            && a.generatedUART == b.generatedUART && a.disabledUARTKconfig == b.disabledUARTKconfig
            && a.compatibleVariant == b.compatibleVariant && a.featureKconfig == b.featureKconfig
    }

    /// Whether any hook (or quirk) is needed at all: without one, the generic code suffices and no platform file
    /// is generated.
    public var needsPlatformFile: Bool {
        smp != .none || !reset.isEmpty || !poweroff.isEmpty || !blacklist.isEmpty || !specificMappings.isEmpty || dmaBitsize != nil || gic64KStride
    }

    /// Kconfig symbol of the generated platform choice.
    public var kconfigSymbol: String { symbol.uppercased() }
    public var fileName: String { "xb-\(board).c" }
}

extension Board {
    /// `[xen] uart-driver` as the console analysis takes it.
    public var consoleDriverPreference: ConsoleDriverPreference { uartDriver == .generated ? .generated : .auto }
}
