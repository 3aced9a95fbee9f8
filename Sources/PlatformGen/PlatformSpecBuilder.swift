import Foundation
import BoardFile
import BoardModel
import SoCMechanisms
import UARTDrivers
import DeviceTree
import XenArm

/// Turns a board (its device tree analysis and board file) into a `PlatformSpec`. Errors say which board-file key
/// to add when the tree lacks what a hook needs.
public enum PlatformSpecBuilder {
    /// A refusal of `gen`: a typed category (what reach and other callers decide on), where in the board file it
    /// comes from (`FILE:LINE`, when a key caused it), and the reason for a person.
    public struct GenError: Error, CustomStringConvertible {
        public typealias Category = GenFailureCode
        public let category: Category
        public let location: String?
        public let reason: String

        public init(_ category: Category, at location: String? = nil, _ reason: String) {
            self.category = category; self.location = location; self.reason = reason
        }

        public var description: String { location.map { "\($0): \(reason)" } ?? reason }
    }

    public static func spec(board: Board, tree: DeviceTree, model: BoardModel) throws -> PlatformSpec {
        let keys = PlatformKeys(board: board)
        var mechanisms: [String] = []
        let (smp, xenStartsCPUs) = try smp(keys, model: model, mechanisms: &mechanisms)
        let power = try power(keys, model: model, mechanisms: &mechanisms)
        let blacklist = blacklist(keys, tree: tree, model: model)
        let mappings = try PlatformSettings.mappings(board).map { (base: $0.base, size: $0.size) }
        let uart = try consoleDriver(board, model: model)
        let symbol = "xb_" + board.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined().lowercased()
        var spec = PlatformSpec(
            symbol: symbol, name: keys.string("name") ?? "XEN-BOARD \(board.name.uppercased())", board: board.name, arch: board.arch,
            compatibles: model.rootCompatible, smp: smp, reset: power.reset, poweroff: power.poweroff, blacklist: blacklist,
            specificMappings: mappings, dmaBitsize: keys.int("dma-bitsize").map(Int.init), gic64KStride: keys.bool("gic-64k-stride") ?? false,
            uartKconfig: uart.kconfig, earlyPrintk: model.console.earlyPrintk, nrCPUs: max(1, model.cpus.count),
            xenCommandLine: XenCommandLine(dtuart: model.console.dtuart, dom0Memory: board.dom0Memory).text,
            poweroffNote: power.note, mechanisms: mechanisms)
        if let xen = xenStartsCPUs, spec.needsPlatformFile {
            // A generated platform is Xen's only one (its Kconfig choice turns ALL_PLAT off): Xen's cpu_up would go.
            throw keys.fail(nil, .xenPlatformStartsCPUs, "Xen's built-in platform \(xen) starts the secondary CPUs, but a generated platform file (for reset, blacklist_dev or mappings) would replace it; set smp = \"mailbox\" (with smp-mailbox) in [platform] to generate the start as well, or drop the other [platform] keys")
        }
        spec.generatedUART = uart.generated?.name
        spec.xenVersion = model.xenVersion
        spec.featureKconfig = board.dom0lessKconfig
        spec.disabledUARTKconfig = uart.generated?.disabled
        spec.compatibleVariant = model.console.variant?.name
        return spec
    }

    /// Secondary CPUs (arm32 only: arm64 has no platform SMP hooks): the board file's choice, or with `auto` on
    /// arm32 without usable PSCI a recognised mechanism (noted in `mechanisms`), Xen's own platform's `cpu_up`
    /// (its name returned: nothing to generate) or the CPUs' spin-table.
    static func smp(_ keys: PlatformKeys, model: BoardModel, mechanisms: inout [String]) throws -> (PlatformSpec.SMP, xenStartsCPUs: String?) {
        let board = keys.board
        let releaseAddress = model.cpus.compactMap(\.releaseAddress).first
        var smp = PlatformSpec.SMP.none
        var xenStartsCPUs: String?
        switch keys.string("smp") ?? "auto" {
        case "none": smp = .none
        case "mailbox":
            guard let set = keys.int("smp-mailbox") else { throw keys.fail("smp", .smpMailboxAddressMissing, "smp = \"mailbox\" needs smp-mailbox = ADDRESS in [platform]") }
            smp = .mailbox(set: try PlatformSettings.register(board, "smp-mailbox", set),
                           clear: try keys.int("smp-mailbox-clear").map { try PlatformSettings.register(board, "smp-mailbox-clear", $0) },
                           wake: keys.string("smp-wake") == "sev" ? .sev : .sgi)
        case "spin-table":
            guard let release = releaseAddress else {
                throw keys.fail("smp", .smpNoReleaseAddress, "smp = \"spin-table\" but no CPU node has cpu-release-addr")
            }
            smp = .spinTable(releaseAddress: release)
        default: // auto
            if board.arch == .arm32 && !(model.psci?.conduit == .smc) {
                if let known = model.mechanisms.smp {
                    smp = PlatformSpec.SMP(known.value)
                    mechanisms.append("secondary CPUs: " + known.description)
                } else if let xen = model.platform, xen.hooks.contains(.cpuUp) {
                    // Xen's own platform code starts them (e.g. exynos5, omap5/dra7): nothing to generate.
                    xenStartsCPUs = xen.name
                } else if let release = releaseAddress {
                    smp = .spinTable(releaseAddress: release)
                } else if model.cpus.count > 1 {
                    throw keys.fail("smp", .smpNoStartMechanism, "\(model.cpus.count - 1) secondary CPU(s) have no PSCI and the device tree does not say how to start them: add smp = \"mailbox\" with smp-mailbox = ADDRESS (and smp-wake) to [platform] in \(board.file)")
                }
            }
        }
        if board.arch == .arm64 && smp != .none {
            throw keys.fail("smp", .smpArm64NoHooks, "arm64 Xen has no platform SMP hooks: use PSCI or spin-table enable-methods in the device tree")
        }
        return (smp, xenStartsCPUs)
    }

    /// Reset: PSCI 0.2+ resets; otherwise the board file, or a recognised controller (noted in `mechanisms`).
    /// Poweroff: the board file's writes; without them and without PSCI, the SoC's power-off facts as a note.
    static func power(_ keys: PlatformKeys, model: BoardModel, mechanisms: inout [String])
        throws -> (reset: [PlatformSpec.RegisterWrite], poweroff: [PlatformSpec.RegisterWrite], note: String?) {
        let psciResets = model.psci?.conduit == .smc && (model.psci?.version.hasSystemReset ?? false)
        var reset = try keys.writes("reset")
        if reset.isEmpty && !psciResets, let known = model.mechanisms.reset {
            reset = known.value.map { .init(address: $0.address, value: $0.value) }
            mechanisms.append("reset: " + known.description)
        }
        let poweroff = try keys.writes("poweroff")
        let note = poweroff.isEmpty && !psciResets ? model.mechanisms.powerOff.map { "\($0.note) (\($0.source))" } : nil
        return (reset, poweroff, note)
    }

    /// Devices Dom0 must not get: the board file's list, plus what inspect found sharing the console page.
    static func blacklist(_ keys: PlatformKeys, tree: DeviceTree, model: BoardModel) -> [String] {
        var blacklist = keys.strings("blacklist")
        for h in model.devicesToBlacklist {
            if let c = tree.node(at: h.path)?.compatibles.first, !blacklist.contains(c) { blacklist.append(c) }
        }
        return blacklist
    }

    /// The console driver's Kconfig symbol; for a generated driver also its description and the Xen driver it
    /// replaces (whose symbol is turned off).
    static func consoleDriver(_ board: Board, model: BoardModel) throws -> (kconfig: String?, generated: (name: String, disabled: String?)?) {
        guard let name = model.console.generatedDriver else {
            let ownDriver = model.console.verdict == .supported || model.console.verdict == .compatibleAdded
            return (ownDriver ? model.console.driver?.kconfig : nil, nil)
        }
        let kconfig = try GeneratedUART.port(named: name, version: model.xenVersion).kconfigSymbol
        let replaced = DriverCatalog.driver(for: model.console.compatible, arch: board.arch, version: model.xenVersion)?.0.kconfig
        return (kconfig, (name, replaced))
    }
}

/// `[platform]` of a board file read by key, with errors that name the key's line.
struct PlatformKeys {
    let board: Board

    func fail(_ key: String?, _ category: PlatformSpecBuilder.GenError.Category, _ m: String) -> PlatformSpecBuilder.GenError {
        let at = key.flatMap { board.platformLines[$0] }.map { ":\($0)" } ?? ""
        return PlatformSpecBuilder.GenError(category, at: "\(board.file)\(at)", m)
    }

    func string(_ k: String) -> String? { if case .string(let v)? = board.platform[k] { return v }; return nil }
    func int(_ k: String) -> Int64? { if case .integer(let v)? = board.platform[k] { return v }; return nil }
    func bool(_ k: String) -> Bool? { if case .boolean(let v)? = board.platform[k] { return v }; return nil }
    func strings(_ k: String) -> [String] { if case .strings(let v)? = board.platform[k] { return v }; return [] }

    /// Register writes come range-checked from the board file (PlatformSettings).
    func writes(_ k: String) throws -> [PlatformSpec.RegisterWrite] {
        try PlatformSettings.registerWrites(board, k).map { .init(address: $0.address, value: $0.value) }
    }
}

extension PlatformSpec.SMP {
    /// The generated hook for a mechanism recognised in the tree.
    init(_ start: SecondaryStart) {
        switch start {
        case .mailbox(let set, let clear, let wake): self = .mailbox(set: set, clear: clear, wake: wake)
        case .bootPen(let entry, let signal, let go, let park): self = .bootPen(entry: entry, signal: signal, goSignal: go, parkSignal: park)
        case .powered(let p): self = .powered(p)
        }
    }
}
