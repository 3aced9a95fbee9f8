/// The stable identity of a finding: what summaries count and scripts match on. The raw value is the code
/// printed by `inspect` (`--json` `findings[].code`, `--summary` blocker table); never change one, add a case.
public enum FindingCode: String, Codable, Sendable, CaseIterable {
    // Console UART (UARTDrivers).
    case consoleDisabled = "console-disabled"
    /// Not a blocker: xen-board adds the console's compatible to an existing Xen driver (Xen must be built from source).
    case consoleCompatibleAdded = "console-compatible-added"
    case consoleDriverWrongArch = "console-driver-wrong-arch"
    /// Not a blocker: the console runs on a driver xen-board generates (Xen must be built from source).
    case consoleGeneratedDriver = "console-generated-driver"
    case consoleIRQNotGICSpi = "console-irq-not-gic-spi"
    case consoleMissingProperty = "console-missing-property"
    case consoleNoIRQ = "console-no-irq"
    case consoleNoReg = "console-no-reg"
    case consoleNoXenDriver = "console-no-xen-driver"
    case consoleNone = "console-none"
    case consoleOptionsIgnored = "console-options-ignored"
    case consoleRegIoWidth = "console-reg-io-width"
    case consoleRegUntranslatable = "console-reg-untranslatable"
    case consoleRegisterCompatible = "console-register-compatible"
    case earlyPrintkBaseAbove4g = "early-printk-base-above-4g"
    case stdoutPathUnresolved = "stdout-path-unresolved"
    case consoleRequestedUnresolved = "console-requested-unresolved"
    // CPUs and PSCI (SMPBringup).
    case bootCPUAssumed = "boot-cpu-assumed"
    case cpuDuplicateMPIDR = "cpu-duplicate-mpidr"
    case cpuInvalidHwid = "cpu-invalid-hwid"
    case cpuNoBringup = "cpu-no-bringup"
    /// Not a blocker: a secondary CPU is started by generated platform code (a SoC mechanism recognised in the tree).
    case cpuGeneratedBringup = "cpu-generated-bringup"
    case cpuNoEnableMethod = "cpu-no-enable-method"
    case cpuNoReg = "cpu-no-reg"
    case cpuNoReleaseAddr = "cpu-no-release-addr"
    case cpuPSCIUnavailable = "cpu-psci-unavailable"
    case cpuUnknownEnableMethod = "cpu-unknown-enable-method"
    case heterogeneousCpus = "heterogeneous-cpus"
    case noCpusNode = "no-cpus-node"
    case psci01NoCPUOn = "psci-0.1-no-cpu-on"
    case psciNoMethod = "psci-no-method"
    case psciNotSmc = "psci-not-smc"
    case spinTableNotReserved = "spin-table-not-reserved"
    // GIC, timer, memory (PlatformQuirks).
    case gicGiccGicvSize = "gic-gicc-gicv-size"
    case gicNoMaintenanceIRQ = "gic-no-maintenance-irq"
    case gicNoVirtualization = "gic-no-virtualization"
    case gicNotPageAligned = "gic-not-page-aligned"
    case gicReg = "gic-reg"
    case gicUnsupported = "gic-unsupported"
    case giccTooSmall = "gicc-too-small"
    case gicv3Arm32 = "gicv3-arm32"
    case gicv3NoRedistributors = "gicv3-no-redistributors"
    case memoryFilledByFirmware = "memory-filled-by-firmware"
    case memoryFromBootloader = "memory-from-bootloader"
    case memoryOverlap = "memory-overlap"
    case memoryReg = "memory-reg"
    case reservedMemoryReg = "reserved-memory-reg"
    case timerClockFrequency = "timer-clock-frequency"
    case timerInterrupts = "timer-interrupts"
    case timerMissing = "timer-missing"
    // Interrupt routing (XenArm).
    case interruptsThroughPassThroughController = "interrupts-through-pass-through-controller"
    // Devices Dom0 must not get (BoardModel).
    case busCoversConsolePage = "bus-covers-console-page"
    case deviceSharesConsolePage = "device-shares-console-page"
}

/// Something the analysis found. A blocker stops Xen from booting with a working console or from bringing up
/// every CPU; a warning is worth knowing but Xen boots regardless. `code` is stable (for summaries and
/// scripts); `message` says what and where, for people.
public struct Finding: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case blocker, warning }

    public let severity: Severity
    public let code: FindingCode
    public let message: String

    public init(_ severity: Severity, _ code: FindingCode, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }

    public static func blocker(_ code: FindingCode, _ message: String) -> Finding { Finding(.blocker, code, message) }
    public static func warning(_ code: FindingCode, _ message: String) -> Finding { Finding(.warning, code, message) }

    public var isBlocker: Bool { severity == .blocker }
    public var description: String { "\(severity.rawValue): \(message) [\(code.rawValue)]" }
}

/// Formats an address the way Xen and Linux logs do.
public func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

extension FindingCode {
    /// A finding on the console UART itself (its node, driver, registers or interrupt; not early printk or the
    /// stdout-path spelling): with one of these, `new` has already said why no console could be driven.
    public var concernsConsoleUART: Bool {
        switch self {
        case .consoleDisabled, .consoleCompatibleAdded, .consoleDriverWrongArch, .consoleGeneratedDriver, .consoleIRQNotGICSpi,
             .consoleMissingProperty, .consoleNoIRQ, .consoleNoReg, .consoleNoXenDriver, .consoleNone, .consoleOptionsIgnored,
             .consoleRegIoWidth, .consoleRegUntranslatable, .consoleRegisterCompatible, .consoleRequestedUnresolved:
            return true
        default:
            return false
        }
    }
}
