import DeviceTree
import XenArm

/// Whether the chosen Xen version can drive the console UART.
public enum ConsoleVerdict: String, Codable, Sendable {
    case supported
    /// No `dt_match` entry, but an existing driver handles the registers (see `detail`).
    case registerCompatible = "register-compatible"
    /// No Xen driver matches, but xen-board generates one from the UART's description (the uartgen work).
    case generatedDriver = "generated-driver"
    /// An existing Xen driver handles it once its compatible is added to the driver's `dt_match` table.
    case compatibleAdded = "compatible-added"
    case unsupported

    /// Xen must be built from source with xen-board's changes (a generated driver or a patched `dt_match`): Debian's
    /// Xen binary has no console on this UART.
    public var needsXenFromSource: Bool { self == .generatedDriver || self == .compatibleAdded }
}

/// Which console driver a board wants (`[xen] uart-driver`).
public enum ConsoleDriverPreference: String, Sendable {
    /// Xen's own driver when it has one, else a generated one.
    case auto
    /// The generated driver even where Xen has one.
    case generated
}

/// Everything Xen needs to know about the console UART, and the settings derived from it.
public struct ConsoleAnalysis {
    public let path: String?
    public let compatible: [String]
    public let source: ConsoleSelection.Source?
    /// CPU physical address of the registers (through every `ranges`).
    public let baseAddress: UInt64?
    public let size: UInt64?
    /// The Xen driver that runs the UART: the matching one, or (register-compatible) the one whose registers it has.
    public let driver: XenUARTDriver?
    /// The driver Xen 4.17 binds as-is (nil unless the verdict is `supported`).
    public var xenDriver: String? { verdict == .supported ? driver?.name : nil }
    /// For a register-compatible UART (or one whose compatible xen-board adds): the driver whose registers it has.
    public var compatibleDriver: String? { verdict == .registerCompatible || verdict == .compatibleAdded ? driver?.name : nil }
    /// The compatible the driver matched (or that the register-compatible entry matched).
    public let matchedCompatible: String?
    public let regShift: Int
    public let regIoWidth: Int
    public let interruptSPI: UInt32?
    public let verdict: ConsoleVerdict
    public let detail: String
    /// The value for Xen's `dtuart=` (alias or path; nil without a console).
    public let dtuart: String?
    /// `console=dtuart dtuart=...` (nil without a console).
    public var xenBootargs: String? { dtuart.map { XenCommandLine(dtuart: $0).text } }
    /// Dom0 always talks to Xen's PV console.
    public let dom0Console = "console=hvc0 earlycon=xenboot earlyprintk=xen"
    /// Kconfig lines enabling early printk on this UART (empty when the driver has no early printk here).
    public let earlyPrintk: [String]
    public let findings: [Finding]
    /// With `verdict == .generatedDriver`: the UART description the driver is generated from (`imx-uart`).
    public var generatedDriver: String? = nil
    /// With `verdict == .compatibleAdded`: the variant data whose `dt_match` entries (and Kconfig changes) are added.
    public var variant: RegisterCompatibleVariant? = nil
    /// The Xen version whose drivers the analysis used.
    public var xenVersion: XenVersion = .v4_17

    /// The console analysis, with a generated driver where Xen has none (or where `driver` asks for one).
    /// `requested`: the board file's `[xen] console` (path or alias).
    public static func analyze(_ tree: DeviceTree, arch: Architecture, version: XenVersion = .v4_17, requested: String? = nil,
                               driver: ConsoleDriverPreference) -> ConsoleAnalysis {
        analyze(tree, arch: arch, version: version, requested: requested).withGeneratedDriver(arch: arch, preference: driver)
    }

    /// The console analysis against the own drivers of Xen `version` only.
    public static func analyze(_ tree: DeviceTree, arch: Architecture, version: XenVersion = .v4_17, requested: String? = nil) -> ConsoleAnalysis {
        var out = analyzeDrivers(tree, arch: arch, version: version, requested: requested)
        out.xenVersion = version
        return out
    }

    static func analyzeDrivers(_ tree: DeviceTree, arch: Architecture, version: XenVersion, requested: String?) -> ConsoleAnalysis {
        let selection = ConsoleSelection.select(in: tree, arch: arch, version: version, requested: requested)
        var findings = selection.findings
        guard let node = selection.node else {
            findings.append(.blocker(.consoleNone,
                                     "no console UART: no /chosen/stdout-path, no serial0 alias and no UART with a Xen \(arch.rawValue) driver"))
            return ConsoleAnalysis(path: nil, compatible: [], source: nil, baseAddress: nil, size: nil, driver: nil,
                                   matchedCompatible: nil, regShift: 0, regIoWidth: 1, interruptSPI: nil, verdict: .unsupported,
                                   detail: "no console UART found", dtuart: nil, earlyPrintk: [], findings: findings)
        }
        let compatibles = node.compatibles

        // Registers.
        var base: UInt64?, size: UInt64?
        do {
            let regions = try tree.physicalRegions(of: node)
            if let r = regions.first { base = r.address; size = r.size } else {
                findings.append(.blocker(.consoleNoReg, "console \(node.path) has no reg (Xen needs its MMIO base)"))
            }
        } catch {
            findings.append(.blocker(.consoleRegUntranslatable, "console \(node.path): \(error)"))
        }
        let shiftProp = node.property("reg-shift")?.u32.map(Int.init)
        let widthProp = node.property("reg-io-width")?.u32.map(Int.init)

        // Driver.
        var verdict = ConsoleVerdict.unsupported
        var detail: String
        var driver: XenUARTDriver?
        var matched: String?
        var variant: RegisterCompatibleVariant?
        if let (d, c) = DriverCatalog.driver(for: compatibles, arch: arch, version: version) {
            driver = d; matched = c; verdict = .supported
            detail = "Xen driver \(d.name) (\(d.source), \(d.kconfig)) matches \"\(c)\""
        } else if let (v, c) = RegisterCompatibleVariant.variant(for: compatibles, arch: arch, version: version),
                  let d = DriverCatalog.driver(named: v.driver, version: version) {
            driver = d; matched = c; variant = v; verdict = .compatibleAdded
            detail = Self.compatibleAddedDetail(v, driver: d, compatible: c, version: version)
        } else if let (entry, c) = RegisterCompatibility.lookup(compatibles),
                  let d = DriverCatalog.driver(named: entry.driver, version: version), d.supports(arch) {
            verdict = .registerCompatible
            driver = d; matched = c
            detail = "no Xen \(version) driver for \"\(c)\", but its registers are \(d.name)'s: \(entry.quirk)"
            findings.append(.blocker(.consoleRegisterCompatible,
                                     "console \(node.path) (\(c)) needs a tree or driver change: \(entry.quirk)"))
        } else if let other = DriverCatalog.drivers(version).first(where: { d in compatibles.contains { d.compatibles.contains($0) } }) {
            detail = "Xen's \(other.name) driver matches but is built for \(other.architectures.map(\.rawValue).sorted().joined(separator: "/")) only, not \(arch.rawValue)"
            findings.append(.blocker(.consoleDriverWrongArch, "console \(node.path) (\(compatibles.first ?? "?")): \(detail)"))
        } else {
            detail = "Xen \(version) has no \(arch.rawValue) driver for \(compatibles.map { "\"\($0)\"" }.joined(separator: ", "))"
            findings.append(.blocker(.consoleNoXenDriver,
                                     "console \(node.path) (\(compatibles.first ?? "no compatible")): \(detail)"))
        }
        if let d = driver, let c = matched, verdict == .supported || verdict == .compatibleAdded {
            let (why, blockers) = Self.requirements(of: d, compatible: variant?.sameAs ?? c, node: node, regIoWidth: widthProp)
            if !blockers.isEmpty { verdict = .unsupported }
            detail += why
            findings += blockers
            if verdict == .compatibleAdded {
                findings.append(.warning(.consoleCompatibleAdded, "console \(node.path): \(detail); Xen must be built from source (`build --xen source`)"))
            }
        }
        if !node.isEnabled {
            findings.append(.blocker(.consoleDisabled, "console \(node.path) has status \"\(node.status ?? "")\" (Xen's device_init refuses it)"))
        }

        let regShift = driver?.fixedRegShift ?? (matched == "brcm,bcm2835-aux-uart" ? 2 : shiftProp ?? 0)
        let regIoWidth = driver?.fixedRegIoWidth ?? (matched == "brcm,bcm2835-aux-uart" ? 4 : widthProp ?? 1)

        // Interrupt: Xen takes interrupts[0] and needs it to reach the primary GIC (through a pass-through
        // controller such as the i.MX GPC once `build` has pointed the tree at the GIC).
        var spi: UInt32?
        if let first = try? tree.routedInterrupts(of: node).first {
            if let gic = GICInterrupt(first), gic.kind == .spi { spi = gic.number } else {
                findings.append(.warning(.consoleIRQNotGICSpi,
                                         "console \(node.path): first interrupt does not go to the GIC as an SPI; Xen will run the UART without an IRQ"))
            }
        } else {
            findings.append(.warning(.consoleNoIRQ, "console \(node.path): no usable interrupt; Xen will run the UART without an IRQ"))
        }
        if let options = selection.options, !options.isEmpty, driver?.name != "ns16550" {
            findings.append(.warning(.consoleOptionsIgnored,
                                     "stdout-path options \"\(options)\" are ignored by Xen's \(driver?.name ?? "UART") driver (it keeps the firmware's baud rate)"))
        }

        // Early printk.
        var early: [String] = []
        if let driver, let c = variant?.sameAs ?? matched, let support = driver.earlyPrintk[c], support.architectures.contains(arch), let base {
            if arch == .arm32 && base > 0xffff_ffff {
                findings.append(.warning(.earlyPrintkBaseAbove4g, "early printk needs a 32-bit UART base on arm32; \(hex(base)) is above 4 GiB"))
            } else {
                early.append("CONFIG_\(support.choice)=y")
                early.append("CONFIG_EARLY_UART_BASE_ADDRESS=\(hex(base))")
                switch support.regShift {
                case .none: break
                case .fromDeviceTree: early.append("CONFIG_EARLY_UART_8250_REG_SHIFT=\(regShift)")
                case .fixed(let s): early.append("CONFIG_EARLY_UART_8250_REG_SHIFT=\(s)")
                }
                early += support.extraLines
            }
        }

        var out = ConsoleAnalysis(path: node.path, compatible: compatibles, source: selection.source, baseAddress: base, size: size,
                                  driver: driver, matchedCompatible: matched,
                                  regShift: regShift, regIoWidth: regIoWidth, interruptSPI: spi, verdict: verdict, detail: detail,
                                  dtuart: selection.dtuartArgument, earlyPrintk: early, findings: findings)
        out.variant = verdict == .compatibleAdded ? variant : nil
        return out
    }
}
