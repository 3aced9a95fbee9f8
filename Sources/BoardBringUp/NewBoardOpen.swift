import BoardModel
import PlatformQuirks
import XenArm

extension NewBoardPlan {
    /// The board-file key that settles a blocker, when one does (nil: the device tree must change).
    static func key(for code: FindingCode) -> String? {
        switch code {
        case .cpuNoBringup: return "[platform] smp = \"mailbox\" + smp-mailbox = ADDRESS (+ smp-wake)"
        case .consoleNone, .consoleNoXenDriver, .consoleDriverWrongArch, .consoleRegisterCompatible, .consoleMissingProperty,
             .consoleDisabled, .consoleRegIoWidth, .consoleRequestedUnresolved, .consoleNoReg, .consoleRegUntranslatable:
            return "[xen] console (another UART), or a UART description in Sources/UARTDrivers/Data/descriptions"
        case .memoryFilledByFirmware, .memoryFromBootloader, .memoryReg, .memoryOverlap: return "[memory] base + size"
        case .cpuPSCIUnavailable, .cpuNoEnableMethod, .cpuUnknownEnableMethod, .cpuNoReleaseAddr:
            return "[platform] smp (arm32), else the CPU nodes' enable-method in the device tree"
        default: return nil
        }
    }

    /// What a person still has to decide: every blocker the generated code does not settle, the optional reset,
    /// and how to boot a board QEMU does not emulate.
    static func openItems(_ m: BoardModel, pick: ConsolePick?, qemu: QEMU?, settled: Set<FindingCode> = []) -> [Open] {
        var out: [Open] = []
        var seen = settled
        for b in m.blockers where seen.insert(b.code).inserted {
            out.append(Open(key: key(for: b.code), what: "\(b.message) [\(b.code.rawValue)]"))
        }
        if m.platformFile.reasons.contains(.noSystemReset) {
            out.append(Open(key: "[platform] reset = [\"ADDR=VALUE\", ...]",
                            what: "no PSCI SYSTEM_RESET and no reset controller xen-board recognises: Xen cannot reboot the board (optional)"))
        }
        if pick == nil, !m.blockers.contains(where: \.code.concernsConsoleUART) {
            out.append(Open(key: "[xen] console", what: "no UART xen-board can drive was found"))
        }
        if qemu == nil {
            out.append(Open(key: "[qemu] machine",
                            what: "no --qemu-machine: `xen-board build` makes images for the hardware; `boot` needs a QEMU machine"))
        }
        return out
    }
}
