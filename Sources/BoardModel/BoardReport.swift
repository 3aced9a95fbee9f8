import DeviceTree
import PlatformQuirks
import SMPBringup
import SoCMechanisms
import UARTDrivers
import XenArm

/// The encoding of a `BoardModel` that `xen-board inspect --json` prints (and `text` renders for people).
/// Field names are the JSON contract (numbers are JSON integers). Nothing decides from it: use the model.
public struct BoardReport: Encodable {
    public struct Console: Encodable {
        @Null public var path: String?
        public let compatible: [String]
        @Null public var source: String?
        @Null public var baseAddress: UInt64?
        @Null public var size: UInt64?
        @Null public var xenDriver: String?
        /// For a register-compatible UART (or one whose compatible is added): the driver whose registers it has.
        @Null public var compatibleDriver: String?
        /// For a console driven by a generated driver: the UART description it is generated from.
        @Null public var generatedDriver: String?
        /// For a `compatible-added` console: the variant (Data/variants) whose patch `gen` applies to Xen's driver.
        @Null public var variant: String?
        /// The Xen files that patch edits (`dt_match` entries, Kconfig changes); empty otherwise.
        public let variantFiles: [String]
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
    /// A SoC mechanism recognised in the tree (generated platform code uses it).
    public struct Mechanism: Encodable {
        public let name: String
        public let node: String
        /// smp: "generated boot pen" / "generated mailbox"; reset: "generated reset".
        public let kind: String
        /// Physical registers written, in order.
        public let registers: [UInt64]
        public let source: String
    }
    public struct PowerOff: Encodable { public let mechanism: Bool; public let note: String; public let source: String }
    public struct Mechanisms: Encodable {
        @Null public var smp: Mechanism?
        @Null public var reset: Mechanism?
        @Null public var powerOff: PowerOff?
    }

    @Null public var file: String?
    @Null public var model: String?
    public let rootCompatible: [String]
    public let architecture: Architecture
    /// The Xen version the analysis is for (`4.17`, `4.20`).
    public let xenVersion: String
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
    public let mechanisms: Mechanisms
    public let blockers: [String]
    public let warnings: [String]
    public let findings: [Finding]
    public let ready: Bool

    /// Encodes a board model (the JSON contract of `inspect --json`).
    public init(_ m: BoardModel) {
        file = m.file
        model = m.modelName
        rootCompatible = m.rootCompatible
        architecture = m.architecture
        xenVersion = m.xenVersion.rawValue
        console = Console(m.console)
        cpus = m.cpus.map(CPU.init)
        psci = m.psci.map { PSCI(path: $0.path, version: $0.version.rawValue, method: $0.method) }
        gic = GIC(version: m.gic.version, path: m.gic.path, compatible: m.gic.compatible,
                  regions: m.gic.regions.map { Region(name: $0.name, base: $0.address, size: $0.size) },
                  maintenanceIRQ: m.gic.maintenanceIRQ)
        timer = m.timer.path.map { Timer(path: $0, compatible: m.timer.compatible, interrupts: m.timer.interrupts, clockFrequency: m.timer.clockFrequency) }
        memory = m.memory.banks.map { Bank(base: $0.address, size: $0.size) }
        reservedMemory = m.memory.reserved.map { Reserved(source: $0.source, base: $0.base, size: $0.size, noMap: $0.noMap) }
        iommus = m.iommus.map { IOMMU(path: $0.path, compatible: $0.compatible, xenDriver: $0.xenDriver, kconfig: $0.kconfig,
                                      enabled: $0.enabled, masters: $0.masters) }
        xenPlatform = m.platform?.name
        platform = m.platform.map(Platform.init)
        hiddenDevices = m.hiddenDevices.map { Hidden(path: $0.path, reason: $0.reason, automatic: $0.automatic) }
        platformFile = PlatformFile(needed: m.platformFile.needed, reasons: m.platformFile.reasons.map(\.text))
        mechanisms = Mechanisms(m.mechanisms)
        findings = m.findings
        blockers = m.blockers.map(\.message)
        warnings = m.warnings.map(\.message)
        ready = m.ready
    }

    /// Analyses a tree and encodes the result.
    public init(tree: DeviceTree, file: String? = nil, arch: Architecture? = nil, version: XenVersion = .v4_17) {
        self.init(BoardModel(tree: tree, file: file, arch: arch, version: version))
    }

}

extension BoardReport.Console {
    init(_ c: ConsoleAnalysis) {
        self.init(path: c.path, compatible: c.compatible, source: c.source?.rawValue, baseAddress: c.baseAddress, size: c.size,
                  xenDriver: c.xenDriver, compatibleDriver: c.compatibleDriver, generatedDriver: c.generatedDriver,
                  variant: c.variant?.name, variantFiles: c.variant.map { Array(Set($0.edits.map(\.path))).sorted() } ?? [], regShift: c.regShift, regIoWidth: c.regIoWidth,
                  interrupt: c.interruptSPI, verdict: c.verdict.rawValue, detail: c.detail, xenBootargs: c.xenBootargs,
                  dom0Console: c.dom0Console, earlyPrintk: c.earlyPrintk)
    }
}

extension BoardReport.CPU {
    init(_ b: CPUBringUp) {
        self.init(path: b.cpu.path, mpidr: b.cpu.mpidr, enableMethod: b.cpu.enableMethod, bringUp: b.method.name,
                  releaseAddress: b.releaseAddress, compatible: b.cpu.compatible, cluster: b.cpu.cluster)
    }
}

extension BoardReport.Platform {
    init(_ p: XenPlatform) {
        self.init(symbol: p.symbol, name: p.name, source: p.source, kconfig: p.kconfig, hooks: p.hooks.map(\.rawValue).sorted(),
                  blacklist: p.blacklist, dmaBitsize: p.dmaBitsize, quirks: p.quirks, specificMappings: p.specificMappings)
    }
}

extension BoardReport.Mechanisms {
    init(_ m: RecognisedMechanisms) {
        self.init(smp: m.smp.map { s in
                      .init(name: s.name, node: s.nodePath, kind: s.value.generatedName, registers: s.value.registers, source: s.source)
                  },
                  reset: m.reset.map { .init(name: $0.name, node: $0.nodePath, kind: "generated reset", registers: $0.value.map(\.address),
                                             source: $0.source) },
                  powerOff: m.powerOff.map { .init(mechanism: !$0.writes.isEmpty, note: $0.note, source: $0.source) })
    }
}
