import DeviceTree
import PlatformQuirks
import SMPBringup
import UARTDrivers
import XenArm

/// Everything Xen 4.17 needs from one board's device tree, as `xen-board inspect` reports it.
/// Field names are the JSON contract (numbers are JSON integers).
public struct BoardReport: Encodable {
    public struct Console: Encodable {
        @Null public var path: String?
        public let compatible: [String]
        @Null public var source: String?
        @Null public var baseAddress: UInt64?
        @Null public var size: UInt64?
        @Null public var xenDriver: String?
        /// For a register-compatible UART: the driver whose registers it has.
        @Null public var compatibleDriver: String?
        public let regShift: Int
        public let regIoWidth: Int
        @Null public var interrupt: UInt32?
        public let verdict: String
        public let detail: String
        @Null public var xenBootargs: String?
        public let dom0Console: String
        public let earlyPrintk: [String]
    }

    public struct CPU: Encodable {
        public let path: String
        @Null public var mpidr: UInt64?
        @Null public var enableMethod: String?
        public let bringUp: String
        @Null public var releaseAddress: UInt64?
        @Null public var compatible: String?
        @Null public var cluster: String?
    }

    public struct PSCI: Encodable { public let path: String; public let version: String; @Null public var method: String? }
    public struct Region: Encodable { public let name: String; public let base: UInt64; public let size: UInt64 }
    public struct GIC: Encodable {
        @Null public var version: Int?
        @Null public var path: String?
        public let compatible: [String]
        public let regions: [Region]
        @Null public var maintenanceIRQ: UInt32?
    }
    public struct Timer: Encodable {
        public let path: String
        public let compatible: [String]
        public let interrupts: [UInt32]
        @Null public var clockFrequency: UInt32?
    }
    public struct Bank: Encodable { public let base: UInt64; public let size: UInt64 }
    public struct Reserved: Encodable { public let source: String; public let base: UInt64; public let size: UInt64; public let noMap: Bool }
    public struct IOMMU: Encodable {
        public let path: String
        public let compatible: [String]
        @Null public var xenDriver: String?
        @Null public var kconfig: String?
        public let enabled: Bool
        public let masters: Int
    }
    public struct Platform: Encodable {
        public let symbol: String
        public let name: String
        public let source: String
        public let kconfig: String
        public let hooks: [String]
        public let blacklist: [String]
        @Null public var dmaBitsize: Int?
        public let quirks: [String]
        public let specificMappings: [String]
    }
    public struct Hidden: Encodable { public let path: String; public let reason: String; public let automatic: Bool }
    public struct PlatformFile: Encodable { public let needed: Bool; public let reasons: [String] }

    @Null public var file: String?
    @Null public var model: String?
    public let rootCompatible: [String]
    public let architecture: Architecture
    public let console: Console
    public let cpus: [CPU]
    @Null public var psci: PSCI?
    public let gic: GIC
    @Null public var timer: Timer?
    public let memory: [Bank]
    public let reservedMemory: [Reserved]
    public let iommus: [IOMMU]
    @Null public var xenPlatform: String?
    @Null public var platform: Platform?
    public let hiddenDevices: [Hidden]
    public let platformFile: PlatformFile
    public let blockers: [String]
    public let warnings: [String]
    public let findings: [Finding]
    public let ready: Bool

    /// Analyses a tree. `arch` overrides the architecture inferred from the tree.
    /// `console`: the board file's `[xen] console` (path or alias), overriding the tree's choice.
    public init(tree: DeviceTree, file: String? = nil, arch: Architecture? = nil, console requestedConsole: String? = nil) {
        let arch = arch ?? Architecture.infer(from: tree)
        let rootCompatible = tree.root.compatibles
        let mem = MemoryAnalysis.analyze(tree)
        let platform = PlatformCatalog.match(rootCompatibles: rootCompatible, arch: arch)
        let con = ConsoleAnalysis.analyze(tree, arch: arch, requested: requestedConsole)
        let gic = GICAnalysis.analyze(tree, arch: arch)
        let timer = TimerAnalysis.analyze(tree)
        let smp = SMPAnalysis.analyze(tree, arch: arch, reserved: mem.reservedRegions,
                                      platformCPUUp: platform.flatMap { $0.hooks.contains(.cpuUp) ? $0.name : nil })
        let iommus = IOMMUReport.analyze(tree, arch: arch)
        let hidden = HiddenDevices.analyze(tree, console: con.path, consoleBase: con.baseAddress, platform: platform, iommus: iommus)
        let cpusNeedingHook = smp.cpus.filter { if case .none = $0.method { return arch == .arm32 } else { return false } }.count
        let decision = PlatformDecision.decide(platform: platform, cpusNeedingHook: cpusNeedingHook,
                                               unhiddenDevices: hidden.filter { !$0.automatic && !$0.isBus }, psciVersion: smp.psci?.version)
        var findings = con.findings + gic.findings + timer.findings + mem.findings + smp.findings
        for h in hidden where !h.automatic {
            if h.isBus {
                findings.append(.warning("bus-covers-console-page", "\(h.path) is a \(h.reason); Xen maps a node's reg into Dom0, so check Dom0 cannot reach the UART"))
            } else {
                findings.append(.warning("device-shares-console-page", "\(h.path) \(h.reason); stock Xen gives it to Dom0 (a platform blacklist_dev entry is needed)"))
            }
        }

        self.file = file
        model = tree.root.property("model")?.string
        self.rootCompatible = rootCompatible
        architecture = arch
        console = Console(path: con.path, compatible: con.compatible, source: con.source?.rawValue, baseAddress: con.baseAddress,
                          size: con.size, xenDriver: con.xenDriver,
                          compatibleDriver: con.verdict == .registerCompatible ? DriverCatalog.drivers.first { d in
                              RegisterCompatibility.lookup(con.compatible).map { $0.0.driver == d.name } ?? false
                          }?.name : nil,
                          regShift: con.regShift, regIoWidth: con.regIoWidth, interrupt: con.interruptSPI,
                          verdict: con.verdict.rawValue, detail: con.detail, xenBootargs: con.xenBootargs,
                          dom0Console: con.dom0Console, earlyPrintk: con.earlyPrintk)
        cpus = smp.cpus.map { b in
            var release: UInt64?
            if case .spinTable(let a) = b.method { release = a }
            return CPU(path: b.cpu.path, mpidr: b.cpu.mpidr, enableMethod: b.cpu.enableMethod, bringUp: b.method.name,
                       releaseAddress: release ?? b.cpu.releaseAddress, compatible: b.cpu.compatible, cluster: b.cpu.cluster)
        }
        psci = smp.psci.map { PSCI(path: $0.path, version: $0.version, method: $0.method) }
        self.gic = GIC(version: gic.version, path: gic.path, compatible: gic.compatible,
                       regions: gic.regions.map { Region(name: $0.name, base: $0.address, size: $0.size) },
                       maintenanceIRQ: gic.maintenanceIRQ)
        self.timer = timer.path.map { Timer(path: $0, compatible: timer.compatible, interrupts: timer.interrupts, clockFrequency: timer.clockFrequency) }
        memory = mem.banks.map { Bank(base: $0.address, size: $0.size) }
        reservedMemory = mem.reserved.map { Reserved(source: $0.source, base: $0.base, size: $0.size, noMap: $0.noMap) }
        self.iommus = iommus.map { IOMMU(path: $0.path, compatible: $0.compatible, xenDriver: $0.xenDriver, kconfig: $0.kconfig,
                                         enabled: $0.enabled, masters: $0.masters) }
        xenPlatform = platform?.name
        self.platform = platform.map {
            Platform(symbol: $0.symbol, name: $0.name, source: $0.source, kconfig: $0.kconfig, hooks: $0.hooks.map(\.rawValue).sorted(),
                     blacklist: $0.blacklist, dmaBitsize: $0.dmaBitsize, quirks: $0.quirks, specificMappings: $0.specificMappings)
        }
        hiddenDevices = hidden.map { Hidden(path: $0.path, reason: $0.reason, automatic: $0.automatic) }
        platformFile = PlatformFile(needed: decision.needed, reasons: decision.reasons)
        self.findings = findings
        blockers = findings.filter { $0.severity == .blocker }.map(\.message)
        warnings = findings.filter { $0.severity == .warning }.map(\.message)
        ready = blockers.isEmpty
    }

    public var blockerCodes: [String] { findings.filter { $0.severity == .blocker }.map(\.code) }
}
