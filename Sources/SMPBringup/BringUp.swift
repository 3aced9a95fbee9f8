import DeviceTree
import SoCMechanisms
import XenArm

/// How Xen 4.17 will start one secondary CPU.
public enum BringUpMethod: Equatable, Sendable {
    case psci
    case spinTable(releaseAddress: UInt64)
    /// arm32 without PSCI: the matched platform's `cpu_up` hook.
    case platformHook(String)
    /// arm32 without PSCI or a built-in hook: a SoC mechanism recognised in the tree, started by the generated
    /// platform's `cpu_up` (`xen-board gen`; Xen built from source).
    case generated(SecondaryStart)
    case bootCPU
    /// Xen will not bring this CPU up; the reason says why.
    case none(String)

    public var name: String {
        switch self {
        case .psci: return "psci"
        case .spinTable: return "spin-table"
        case .platformHook: return "platform"
        case .generated(let start): return start.generatedName
        case .bootCPU: return "boot-cpu"
        case .none: return "none"
        }
    }
}

public struct CPUBringUp {
    public let cpu: CPUNode
    public let method: BringUpMethod

    /// True when Xen will leave this CPU offline.
    public var isOffline: Bool { if case .none = method { return true } else { return false } }
    /// True when the generated platform code starts this CPU.
    public var isGenerated: Bool { if case .generated = method { return true } else { return false } }
    /// The spin-table release address Xen writes (from the bring-up method, else the node's property).
    public var releaseAddress: UInt64? {
        if case .spinTable(let a) = method { return a }
        return cpu.releaseAddress
    }
}

/// SMP analysis: every CPU's bring-up method and the problems Xen would hit (xen-4.17 catalog §2).
public struct SMPAnalysis {
    public let cpus: [CPUBringUp]
    public let psci: PSCINode?
    public let bootMPIDR: UInt64
    public let findings: [Finding]

    /// Reserved ranges (`/memreserve/` and `/reserved-memory`) for the spin-table check, and the name of the
    /// built-in platform (if any) whose arm32 `cpu_up` hook can start CPUs without PSCI.
    /// `recognised`: the secondary-CPU mechanism found in the tree (`MechanismMatch`), used on arm32 when neither
    /// PSCI nor a built-in platform can start the CPUs.
    public static func analyze(_ tree: DeviceTree, arch: Architecture, reserved: [PhysicalRegion],
                               platformCPUUp: String?, recognised: RecognisedMechanism<SecondaryStart>? = nil) -> SMPAnalysis {
        var findings: [Finding] = []
        let psci = PSCINode.find(in: tree)
        var bootMPIDR = UInt64(tree.bootCPUID)
        guard let cpus = CPUMap.cpus(in: tree) else {
            findings.append(.warning(.noCpusNode, "no /cpus: Xen prints \"Can't find /cpus\" and uses only the boot CPU"))
            return SMPAnalysis(cpus: [], psci: psci, bootMPIDR: bootMPIDR, findings: findings)
        }
        if let psci { findings += psciFindings(psci) }

        var seen: [UInt64: String] = [:]
        var result: [CPUBringUp] = []
        // The boot CPU is whichever CPU runs Xen; the header's boot_cpuid_phys says which one only when the blob
        // was built with `dtc -b` (kernel DTBs are not: it is 0). Without a match, assume the first CPU node.
        var hasBoot = cpus.contains { $0.mpidr == bootMPIDR }
        if !hasBoot, let first = cpus.first?.mpidr {
            findings.append(.warning(.bootCPUAssumed,
                                     "no CPU has MPIDR \(hex(bootMPIDR)) (header boot_cpuid_phys); assuming the first CPU (\(hex(first))) boots Xen. Xen needs the booting CPU's MPIDR listed in /cpus"))
            bootMPIDR = first
            hasBoot = true
        }
        for cpu in cpus {
            let mpidr: UInt64
            switch usableMPIDR(cpu, arch: arch, seen: seen) {
            case .success(let m): mpidr = m
            case .failure(let f):
                findings.append(f.finding)
                result.append(CPUBringUp(cpu: cpu, method: .none(f.reason)))
                continue
            }
            seen[mpidr] = cpu.path
            if hasBoot && mpidr == bootMPIDR {
                result.append(CPUBringUp(cpu: cpu, method: .bootCPU))
                continue
            }
            let method = arch == .arm64 ? arm64Method(cpu, psci: psci, reserved: reserved, findings: &findings)
                                        : arm32Method(cpu, psci: psci, platformCPUUp: platformCPUUp, recognised: recognised,
                                                      findings: &findings)
            result.append(CPUBringUp(cpu: cpu, method: method))
        }
        let cores = Set(cpus.compactMap(\.compatible))
        if cores.count > 1 {
            findings.append(.warning(.heterogeneousCpus,
                                     "CPUs of different kinds (\(cores.sorted().joined(separator: ", "))): Xen parks CPUs whose MIDR differs from the boot CPU unless booted with hmp-unsafe=true"))
        }
        return SMPAnalysis(cpus: result, psci: psci, bootMPIDR: bootMPIDR, findings: findings)
    }

    /// The /psci node as Xen checks it: an smc method, and cpu_on for PSCI 0.1.
    static func psciFindings(_ psci: PSCINode) -> [Finding] {
        var findings: [Finding] = []
        if psci.conduit == nil {
            findings.append(.blocker(.psciNoMethod, "\(psci.path) has no method (Xen: \"/psci node does not provide a method\")"))
        } else if psci.conduit != .smc {
            findings.append(.blocker(.psciNotSmc,
                                     "\(psci.path) method is \"\(psci.method ?? "")\": Xen requires smc (it runs at EL2; HVC conduit is rejected)"))
        }
        if psci.version == .v0_1 && psci.cpuOn == nil {
            findings.append(.blocker(.psci01NoCPUOn, "\(psci.path) is PSCI 0.1 without cpu_on"))
        }
        return findings
    }

    /// Why Xen skips a CPU node (as its /cpus parsing does), with the finding to report.
    struct SkippedCPU: Error {
        let reason: String
        let finding: Finding
    }

    /// The CPU's MPIDR when Xen can use it: a reg, within MPIDR_HWID_MASK, not a duplicate of an earlier CPU's.
    static func usableMPIDR(_ cpu: CPUNode, arch: Architecture, seen: [UInt64: String]) -> Result<UInt64, SkippedCPU> {
        guard let mpidr = cpu.mpidr else {
            return .failure(SkippedCPU(reason: "no reg", finding: .blocker(.cpuNoReg, "\(cpu.path) has no usable reg: Xen skips it")))
        }
        if mpidr & ~arch.mpidrHWIDMask != 0 {
            return .failure(SkippedCPU(reason: "invalid hwid", finding: .blocker(.cpuInvalidHwid,
                "\(cpu.path) reg \(hex(mpidr)) has bits outside MPIDR_HWID_MASK \(hex(arch.mpidrHWIDMask))")))
        }
        if let other = seen[mpidr] {
            return .failure(SkippedCPU(reason: "duplicate MPIDR", finding: .blocker(.cpuDuplicateMPIDR,
                "\(cpu.path) and \(other) have the same MPIDR \(hex(mpidr)): Xen stops reading /cpus")))
        }
        return .success(mpidr)
    }

    private static func arm64Method(_ cpu: CPUNode, psci: PSCINode?, reserved: [PhysicalRegion],
                                    findings: inout [Finding]) -> BringUpMethod {
        switch cpu.enableMethod {
        case nil:
            findings.append(.blocker(.cpuNoEnableMethod, "\(cpu.path) has no enable-method: Xen drops it"))
            return .none("no enable-method")
        case "psci":
            guard let psci, psci.usable else {
                findings.append(.blocker(.cpuPSCIUnavailable,
                                         psci == nil ? "\(cpu.path) asks for PSCI, but the tree has no PSCI node"
                                                     : "\(cpu.path) asks for PSCI, but \(psci?.path ?? "/psci") is not usable by Xen"))
                return .none("PSCI unavailable")
            }
            return .psci
        case "spin-table":
            guard let addr = cpu.releaseAddress, addr != 0 else {
                findings.append(.blocker(.cpuNoReleaseAddr, "\(cpu.path) uses spin-table without cpu-release-addr"))
                return .none("no cpu-release-addr")
            }
            if !reserved.contains(where: { addr >= $0.address && addr &+ 8 <= $0.end }) {
                findings.append(.warning(.spinTableNotReserved,
                                         "\(cpu.path) cpu-release-addr \(hex(addr)) is not inside /memreserve/ or /reserved-memory: Xen may hand that memory out"))
            }
            return .spinTable(releaseAddress: addr)
        case let other?:
            findings.append(.blocker(.cpuUnknownEnableMethod, "\(cpu.path) has enable-method \"\(other)\", unknown to Xen"))
            return .none("unknown enable-method \(other)")
        }
    }

    private static func arm32Method(_ cpu: CPUNode, psci: PSCINode?, platformCPUUp: String?,
                                    recognised: RecognisedMechanism<SecondaryStart>?, findings: inout [Finding]) -> BringUpMethod {
        // arm32 ignores enable-method: PSCI when present, else the platform's cpu_up hook.
        if let psci, psci.usable { return .psci }
        if let platform = platformCPUUp { return .platformHook(platform) }
        if let recognised {
            findings.append(.warning(.cpuGeneratedBringup,
                                     "\(cpu.path): no usable PSCI; started by the generated platform's cpu_up through the \(recognised.description); Xen must be built from source (`build --xen source`)"))
            return .generated(recognised.value)
        }
        findings.append(.blocker(.cpuNoBringup,
                                 "\(cpu.path): no usable PSCI and no built-in platform with a cpu_up hook: Xen cannot start it (a platform file is needed)"))
        return .none("no PSCI and no platform cpu_up")
    }
}
