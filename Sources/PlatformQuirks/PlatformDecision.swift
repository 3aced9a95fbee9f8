import SMPBringup
import XenArm

/// One reason a board may need a Xen platform file: the hook that would do the job and what it is for.
public enum PlatformFileReason: Equatable, Sendable {
    /// arm32 secondary CPUs with neither PSCI nor a built-in platform `cpu_up`.
    case secondaryCPUsWithoutPSCI(count: Int)
    /// Devices stock Xen would give Dom0 that must be kept from it.
    case devicesToHide(paths: [String])
    /// No PSCI 0.2+ SYSTEM_RESET and no platform reset hook: Xen cannot reboot the board.
    case noSystemReset
    /// arm32 secondary CPUs without PSCI that a SoC mechanism recognised in the tree starts (generated `cpu_up`).
    case generatedSecondaryStart(count: Int, mechanism: String)
    /// No PSCI SYSTEM_RESET, but a reset controller recognised in the tree (generated `reset`).
    case generatedReset(mechanism: String)

    /// The `struct platform_desc` hook that addresses it.
    public var hook: PlatformHook {
        switch self {
        case .secondaryCPUsWithoutPSCI, .generatedSecondaryStart: return .cpuUp
        case .devicesToHide: return .quirks
        case .noSystemReset, .generatedReset: return .reset
        }
    }

    /// Xen boots without it; a platform file only adds the missing comfort.
    public var isOptional: Bool {
        switch self {
        case .noSystemReset, .generatedReset: return true
        case .secondaryCPUsWithoutPSCI, .devicesToHide, .generatedSecondaryStart: return false
        }
    }

    /// The generated platform file does it from a recognised SoC mechanism (no board-file key needed).
    public var isGenerated: Bool {
        switch self {
        case .generatedSecondaryStart, .generatedReset: return true
        case .secondaryCPUsWithoutPSCI, .devicesToHide, .noSystemReset: return false
        }
    }

    /// For people (`inspect` text and JSON `platformFile.reasons`).
    public var text: String {
        switch self {
        case .secondaryCPUsWithoutPSCI(let n):
            return "smp_init/cpu_up: \(n) secondary CPU(s) have no PSCI; Xen needs the SoC's bring-up sequence"
        case .devicesToHide(let paths):
            return "blacklist_dev: \(paths.joined(separator: ", ")) must be hidden from Dom0"
        case .noSystemReset:
            return "reset: without PSCI 0.2+ SYSTEM_RESET, Xen cannot reboot the board (optional)"
        case .generatedSecondaryStart(let n, let m):
            return "smp_init/cpu_up: \(n) secondary CPU(s) have no PSCI; generated from the \(m)"
        case .generatedReset(let m):
            return "reset: no PSCI 0.2+ SYSTEM_RESET; generated from the \(m)"
        }
    }
}

/// Whether the board needs a new Xen platform file, and why. The goal is none: PSCI plus a supported UART is
/// enough for Xen's generic code.
public struct PlatformDecision: Equatable, Sendable {
    public let reasons: [PlatformFileReason]

    /// Needed when any reason is not optional.
    public var needed: Bool { reasons.contains { !$0.isOptional } }

    /// - Parameters:
    ///   - cpusNeedingHook: arm32 CPUs with neither PSCI nor a built-in platform `cpu_up` nor a recognised mechanism.
    ///   - generatedCPUs: arm32 CPUs started by a recognised mechanism (`smpMechanism` names it).
    ///   - unhiddenDevices: devices that must be kept from Dom0 but that stock Xen would give it.
    ///   - psciVersion: nil without PSCI.
    ///   - resetMechanism: the reset controller recognised in the tree, if any.
    public static func decide(platform: XenPlatform?, cpusNeedingHook: Int, generatedCPUs: Int = 0, smpMechanism: String? = nil,
                              unhiddenDevices: [HiddenDevice], psciVersion: PSCIVersion?, resetMechanism: String? = nil) -> PlatformDecision {
        var reasons: [PlatformFileReason] = []
        if cpusNeedingHook > 0 { reasons.append(.secondaryCPUsWithoutPSCI(count: cpusNeedingHook)) }
        if generatedCPUs > 0, let smpMechanism { reasons.append(.generatedSecondaryStart(count: generatedCPUs, mechanism: smpMechanism)) }
        if !unhiddenDevices.isEmpty { reasons.append(.devicesToHide(paths: unhiddenDevices.map(\.path))) }
        if !(psciVersion?.hasSystemReset ?? false) && !(platform?.hooks.contains(.reset) ?? false) {
            reasons.append(resetMechanism.map { .generatedReset(mechanism: $0) } ?? .noSystemReset)
        }
        return PlatformDecision(reasons: reasons)
    }
}
