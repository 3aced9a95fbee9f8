import DeviceTree
import PlatformQuirks
import SMPBringup
import SoCMechanisms
import UARTDrivers
import XenArm

/// Everything Xen needs from one board's device tree, as typed values: the layer between the DeviceTree library
/// and everything built on it (`inspect`, `gen`, passthrough, `build`). Consumers decide from these values;
/// `BoardReport` is only their encoding for JSON and people.
public struct BoardModel {
    /// The file the tree came from, as the caller names it (for reports).
    public let file: String?
    /// The root `model` property.
    public let modelName: String?
    public let rootCompatible: [String]
    public let architecture: Architecture
    /// The Xen version whose drivers and platforms the analysis used.
    public let xenVersion: XenVersion
    public let console: ConsoleAnalysis
    public let smp: SMPAnalysis
    public let gic: GICAnalysis
    public let timer: TimerAnalysis
    public let memory: MemoryAnalysis
    public let iommus: [IOMMUReport]
    /// The built-in Xen platform that matches (nil: Xen prints `Platform: Generic System`).
    public let platform: XenPlatform?
    public let hiddenDevices: [HiddenDevice]
    public let platformFile: PlatformDecision
    /// SoC mechanisms recognised in the tree (secondary-CPU start, reset, power-off facts) that generated code uses.
    public let mechanisms: RecognisedMechanisms
    /// Every finding of every analysis, in a stable order (console, GIC, timer, memory, SMP, interrupt routing, hidden devices).
    public let findings: [Finding]

    public var cpus: [CPUBringUp] { smp.cpus }
    public var psci: PSCINode? { smp.psci }
    public var blockers: [Finding] { findings.filter(\.isBlocker) }
    public var warnings: [Finding] { findings.filter { !$0.isBlocker } }
    /// Xen 4.17 boots this tree as-is with a working console and every CPU.
    public var ready: Bool { !findings.contains(where: \.isBlocker) }

    /// Analyses a tree. `arch` overrides the architecture inferred from the tree; `console` is the board file's
    /// `[xen] console` (path or alias), overriding the tree's choice of console.
    /// `uartDriver`: the board's `[xen] uart-driver` (`.generated` uses the generated driver even where Xen has one).
    public init(tree: DeviceTree, file: String? = nil, arch: Architecture? = nil, console requestedConsole: String? = nil,
                uartDriver: ConsoleDriverPreference = .auto, version: XenVersion = .v4_17) {
        let arch = arch ?? Architecture.infer(from: tree)
        self.file = file
        xenVersion = version
        modelName = tree.root.property("model")?.string
        rootCompatible = tree.root.compatibles
        architecture = arch
        memory = MemoryAnalysis.analyze(tree)
        platform = PlatformCatalog.match(rootCompatibles: rootCompatible, arch: arch, version: version)
        console = ConsoleAnalysis.analyze(tree, arch: arch, version: version, requested: requestedConsole, driver: uartDriver)
        gic = GICAnalysis.analyze(tree, arch: arch)
        timer = TimerAnalysis.analyze(tree)
        mechanisms = RecognisedMechanisms(tree: tree)
        smp = SMPAnalysis.analyze(tree, arch: arch, reserved: memory.reservedRegions,
                                  platformCPUUp: platform.flatMap { $0.hooks.contains(.cpuUp) ? $0.name : nil },
                                  recognised: mechanisms.smp)
        iommus = IOMMUReport.analyze(tree, arch: arch)
        hiddenDevices = HiddenDevices.analyze(tree, console: console.path, consoleBase: console.baseAddress,
                                              platform: platform, iommus: iommus)
        let cpusNeedingHook = arch == .arm32 ? smp.cpus.filter(\.isOffline).count : 0
        let generatedCPUs = arch == .arm32 ? smp.cpus.filter(\.isGenerated).count : 0
        platformFile = PlatformDecision.decide(platform: platform, cpusNeedingHook: cpusNeedingHook,
                                               generatedCPUs: generatedCPUs, smpMechanism: mechanisms.smp?.description,
                                               unhiddenDevices: hiddenDevices.filter { !$0.automatic && !$0.isBus },
                                               psciVersion: smp.psci?.version,
                                               resetMechanism: mechanisms.reset?.description)
        findings = console.findings + gic.findings + timer.findings + memory.findings + smp.findings
            + PassThroughBypass.findings(tree) + hiddenDevices.compactMap(Self.finding)
    }

    /// The warning for a device stock Xen would give Dom0 although it must not have it.
    static func finding(for hidden: HiddenDevice) -> Finding? {
        switch hidden.kind {
        case .busCoversConsolePage:
            return .warning(.busCoversConsolePage,
                            "\(hidden.path) is a \(hidden.reason); Xen maps a node's reg into Dom0, so check Dom0 cannot reach the UART")
        case .sharesConsolePage:
            return .warning(.deviceSharesConsolePage,
                            "\(hidden.path) \(hidden.reason); stock Xen gives it to Dom0 (a platform blacklist_dev entry is needed)")
        case .consoleUART, .platformBlacklist, .hostOnly, .xenIOMMU:
            return nil
        }
    }

    /// Devices stock Xen gives Dom0 that a generated platform's `blacklist_dev` must hide (not buses: hiding a
    /// bus would hide the console with it).
    public var devicesToBlacklist: [HiddenDevice] {
        hiddenDevices.filter { if case .sharesConsolePage = $0.kind { return true } else { return false } }
    }
}
