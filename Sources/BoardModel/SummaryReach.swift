import UARTDrivers
import XenArm

/// Which driver code runs a console: one of Xen's own drivers (possibly with a compatible xen-board adds to its
/// `dt_match`) or a driver generated from a UART description.
public struct ConsoleFamily: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable { case xen, generated }
    public let kind: Kind
    /// Xen's driver name (`pl011`, `ns16550`) or the UART description's (`imx-uart`).
    public let name: String

    public init(_ kind: Kind, _ name: String) { self.kind = kind; self.name = name }

    /// The family of an analysed console; nil when nothing drives it.
    public init?(_ console: ConsoleAnalysis) {
        if let g = console.generatedDriver, console.verdict == .generatedDriver { self.init(.generated, g); return }
        switch console.verdict {
        case .supported, .compatibleAdded:
            guard let d = console.driver else { return nil }
            self.init(.xen, d.name)
        case .generatedDriver, .registerCompatible, .unsupported: return nil
        }
    }

    public var description: String { "\(kind.rawValue):\(name)" }
    public static func < (a: ConsoleFamily, b: ConsoleFamily) -> Bool { a.description < b.description }

    /// A console family booted under QEMU by a CI test, with the board and the test that prove it.
    public struct Booted: Sendable {
        public let family: ConsoleFamily
        public let board: String
        /// `TestClass.testMethod` in Tests/BootTests.
        public let test: String
    }

    /// The console families CI boots (Tests/BootTests; `ReachDataTests` checks every test named here exists).
    public static let bootedInCI: [Booted] = [
        Booted(family: ConsoleFamily(.xen, "pl011"), board: "vexpress", test: "BoardBootTests.testVexpressBootsXenAndDom0"),
        Booted(family: ConsoleFamily(.xen, "pl011"), board: "qemu-virt-arm64", test: "BoardBootTests.testQEMUVirtArm64BootsThroughUBoot"),
        Booted(family: ConsoleFamily(.xen, "ns16550"), board: "ast2600-evb", test: "SourceXenBootTests.testAST2600WithGeneratedSMPAndReset"),
        Booted(family: ConsoleFamily(.generated, "imx-uart"), board: "imx7d-sabre", test: "SourceXenBootTests.testIMX7DSabreWithGeneratedIMXDriver"),
        Booted(family: ConsoleFamily(.generated, "pl011"), board: "qemu-virt-arm64-gen-pl011", test: "SourceXenBootTests.testQEMUVirtArm64WithGeneratedPL011"),
    ]
}

/// What one compile check in Xen's tree stands for: boards whose `new` + `gen` output has the same console driver
/// code (Xen's driver, the variant adding a compatible to it, or a generated driver), architecture and set of
/// platform hooks generate the same C and Kconfig shapes.
public struct CompileCombination: Hashable, Sendable, Comparable {
    /// `xen:ns16550`, `xen:ns16550+tegra-ns16550` (a variant), `generated:imx-uart`, or `none`.
    public let driver: String
    public let arch: Architecture
    /// Platform-file hooks, sorted (`reset`, `smp-boot-pen`, `blacklist` ...); empty: no platform file.
    public let hooks: [String]

    /// The Xen source the check compiles in (the version the board file `new` writes gets).
    public let xen: XenVersion

    public init(driver: String, arch: Architecture, hooks: [String], xen: XenVersion) {
        self.driver = driver; self.arch = arch; self.hooks = hooks.sorted(); self.xen = xen
    }

    /// `DRIVER/ARCH/HOOK+HOOK/xen-VERSION` (`none` without a platform file): how results files and reports name it.
    public var key: String { "\(driver)/\(arch.rawValue)/\(hooks.isEmpty ? "none" : hooks.joined(separator: "+"))/xen-\(xen.rawValue)" }
    public static func < (a: CompileCombination, b: CompileCombination) -> Bool { a.key < b.key }
}

/// Why `gen` (or the board file `new` wrote, parsed back) refused a board: a stable code carried by the error itself
/// (PlatformGen's `GenError.category`), so reach groups failures by type, never by reading their text.
public enum GenFailureCode: String, Hashable, Sendable, Comparable {
    /// The board file `new` wrote does not parse back (e.g. a Xen version without the prebuilt package it names).
    case boardFileInvalid = "board-file-invalid"
    /// A `[platform]` value is out of range (BoardFile's checks of register writes, mappings, dma-bitsize).
    case platformSetting = "platform-setting"
    /// Xen's own platform starts the secondary CPUs, but a generated platform file would replace it.
    case xenPlatformStartsCPUs = "xen-platform-starts-cpus"
    /// `smp = "mailbox"` without `smp-mailbox`.
    case smpMailboxAddressMissing = "smp-mailbox-address-missing"
    /// `smp = "spin-table"` but no CPU has `cpu-release-addr`.
    case smpNoReleaseAddress = "smp-no-release-address"
    /// Secondary CPUs without PSCI and no mechanism the tree describes.
    case smpNoStartMechanism = "smp-no-start-mechanism"
    /// An SMP hook asked for on arm64, where Xen has none.
    case smpArm64NoHooks = "smp-arm64-no-hooks"
    /// The generated console driver's description or Xen layout is unavailable.
    case consoleDriverUnavailable = "console-driver-unavailable"
    /// The register-compatible console variant is unknown.
    case consoleVariantUnavailable = "console-variant-unavailable"
    /// Xen's platforms Kconfig has no `endchoice` to insert the platform choice before.
    case kconfigNoChoiceEnd = "kconfig-no-choice-end"
    /// Any other error (not one of gen's own).
    case other

    public static func < (a: GenFailureCode, b: GenFailureCode) -> Bool { a.rawValue < b.rawValue }
}

/// Why a virt-capable board is not reached by `new` + `gen` + a compile check (share (b)).
public enum ReachBlocker: Hashable, Sendable, Comparable {
    /// No UART of the tree that xen-board can drive; the console's compatible (or `none`).
    case consoleNoDriver(compatible: String)
    /// A blocker the board file `new` writes still has (a person must set a key or change the tree).
    case boardBlocker(FindingCode)
    /// `gen` refuses the board: the error's category and its reason (the message without the board file's name,
    /// board-specific values kept), as the error carries them.
    case genFailed(GenFailureCode, String)
    /// The compile check of the board's combination failed.
    case compileFailed(combination: String)
    /// No compile-check result for the board's combination (not measured).
    case notCompileChecked(combination: String)

    public var kind: String {
        switch self {
        case .consoleNoDriver: return "console-no-driver"
        case .boardBlocker: return "board-blocker"
        case .genFailed: return "gen-failed"
        case .compileFailed: return "compile-failed"
        case .notCompileChecked: return "not-compile-checked"
        }
    }

    public var detail: String {
        switch self {
        case .consoleNoDriver(let c): return c
        case .boardBlocker(let code): return code.rawValue
        case .genFailed(_, let m): return m
        case .compileFailed(let k), .notCompileChecked(let k): return k
        }
    }

    public static func < (a: ReachBlocker, b: ReachBlocker) -> Bool { (a.kind, a.detail) < (b.kind, b.detail) }

    /// The gen failure's category (nil for other blockers).
    public var genFailure: GenFailureCode? {
        if case .genFailed(let code, _) = self { return code }
        return nil
    }
}

/// One virt-capable board as `new` + `gen` see it (BoardBringUp computes it; the summary counts it).
public struct ReachRow: Sendable {
    public let file: String
    /// The family of the console `new` picks (nil: none can be driven).
    public let family: ConsoleFamily?
    /// Set when `new` + `gen` succeed with no blocker left.
    public let combination: CompileCombination?
    /// Why `new` + `gen` do not reach it (nil when `combination` is set).
    public let blocker: ReachBlocker?

    public init(file: String, family: ConsoleFamily?, combination: CompileCombination?, blocker: ReachBlocker?) {
        self.file = file; self.family = family; self.combination = combination; self.blocker = blocker
    }
}

extension BoardModel {
    /// Hardware Xen can virtualise on: a GICv3, or a GICv2 with its GICH/GICV regions, plus an architected timer.
    public var isVirtCapable: Bool {
        let gicOK = gic.version == 3 || (gic.version == 2 && gic.regions.count >= 4)
        return gicOK && timer.path != nil
    }
}
