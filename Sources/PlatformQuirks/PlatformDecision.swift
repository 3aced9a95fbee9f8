import XenArm

/// Whether the board needs a new Xen platform file, and why. The goal is none: PSCI plus a supported UART is
/// enough for Xen's generic code.
public struct PlatformDecision {
    public let needed: Bool
    public let reasons: [String]

    /// - Parameters:
    ///   - cpusNeedingHook: arm32 CPUs with neither PSCI nor a built-in platform `cpu_up`.
    ///   - unhiddenDevices: devices that must be kept from Dom0 but that stock Xen would give it.
    ///   - psciVersion: nil without PSCI.
    public static func decide(platform: XenPlatform?, cpusNeedingHook: Int, unhiddenDevices: [HiddenDevice],
                              psciVersion: String?) -> PlatformDecision {
        var reasons: [String] = []
        if cpusNeedingHook > 0 {
            reasons.append("smp_init/cpu_up: \(cpusNeedingHook) secondary CPU(s) have no PSCI; Xen needs the SoC's bring-up sequence")
        }
        if !unhiddenDevices.isEmpty {
            reasons.append("blacklist_dev: \(unhiddenDevices.map(\.path).joined(separator: ", ")) must be hidden from Dom0")
        }
        if (psciVersion == nil || psciVersion == "0.1") && !(platform?.hooks.contains(.reset) ?? false) {
            reasons.append("reset: without PSCI 0.2+ SYSTEM_RESET, Xen cannot reboot the board (optional)")
        }
        let needed = reasons.contains { !$0.hasSuffix("(optional)") }
        return PlatformDecision(needed: needed, reasons: reasons)
    }
}
