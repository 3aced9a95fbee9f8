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

    /// The `struct platform_desc` hook that addresses it.
    public var hook: PlatformHook {
        switch self {
        case .secondaryCPUsWithoutPSCI: return .cpuUp
        case .devicesToHide: return .quirks
        case .noSystemReset: return .reset
        }
    }

    /// Xen boots without it; a platform file only adds the missing comfort.
    public var isOptional: Bool { self == .noSystemReset }

    /// For people (`inspect` text and JSON `platformFile.reasons`).
    public var text: String {
        switch self {
        case .secondaryCPUsWithoutPSCI(let n):
            return "smp_init/cpu_up: \(n) secondary CPU(s) have no PSCI; Xen needs the SoC's bring-up sequence"
        case .devicesToHide(let paths):
            return "blacklist_dev: \(paths.joined(separator: ", ")) must be hidden from Dom0"
        case .noSystemReset:
            return "reset: without PSCI 0.2+ SYSTEM_RESET, Xen cannot reboot the board (optional)"
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
    ///   - cpusNeedingHook: arm32 CPUs with neither PSCI nor a built-in platform `cpu_up`.
    ///   - unhiddenDevices: devices that must be kept from Dom0 but that stock Xen would give it.
    ///   - psciVersion: nil without PSCI.
    public static func decide(platform: XenPlatform?, cpusNeedingHook: Int, unhiddenDevices: [HiddenDevice],
                              psciVersion: PSCIVersion?) -> PlatformDecision {
        var reasons: [PlatformFileReason] = []
        if cpusNeedingHook > 0 { reasons.append(.secondaryCPUsWithoutPSCI(count: cpusNeedingHook)) }
        if !unhiddenDevices.isEmpty { reasons.append(.devicesToHide(paths: unhiddenDevices.map(\.path))) }
        if !(psciVersion?.hasSystemReset ?? false) && !(platform?.hooks.contains(.reset) ?? false) {
            reasons.append(.noSystemReset)
        }
        return PlatformDecision(reasons: reasons)
    }
}
