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
    public struct GenError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func spec(board: Board, tree: DeviceTree, model: BoardModel) throws -> PlatformSpec {
        let p = board.platform
        func fail(_ key: String?, _ m: String) -> GenError {
            let at = key.flatMap { board.platformLines[$0] }.map { ":\($0)" } ?? ""
            return GenError(description: "\(board.file)\(at): \(m)")
        }
        func string(_ k: String) -> String? { if case .string(let v)? = p[k] { return v }; return nil }
        func int(_ k: String) -> Int64? { if case .integer(let v)? = p[k] { return v }; return nil }
        func strings(_ k: String) -> [String] { if case .strings(let v)? = p[k] { return v }; return [] }
        // Register writes and mappings come range-checked from the board file (PlatformSettings).
        func writes(_ k: String) throws -> [PlatformSpec.RegisterWrite] {
            try PlatformSettings.registerWrites(board, k).map { .init(address: $0.address, value: $0.value) }
        }

        // Secondary CPUs (arm32 only: arm64 has no platform SMP hooks).
        let psciUsable = model.psci?.conduit == .smc
        let releaseAddress = model.cpus.compactMap(\.releaseAddress).first
        var smp = PlatformSpec.SMP.none
        var mechanisms: [String] = []
        var xenStartsCPUs: String?
        switch string("smp") ?? "auto" {
        case "none": smp = .none
        case "mailbox":
            guard let set = int("smp-mailbox") else { throw fail("smp", "smp = \"mailbox\" needs smp-mailbox = ADDRESS in [platform]") }
            smp = .mailbox(set: try PlatformSettings.register(board, "smp-mailbox", set),
                           clear: try int("smp-mailbox-clear").map { try PlatformSettings.register(board, "smp-mailbox-clear", $0) },
                           wake: string("smp-wake") == "sev" ? .sev : .sgi)
        case "spin-table":
            guard let release = releaseAddress else {
                throw fail("smp", "smp = \"spin-table\" but no CPU node has cpu-release-addr")
            }
            smp = .spinTable(releaseAddress: release)
        default: // auto
            if board.arch == .arm32 && !psciUsable {
                if let known = model.mechanisms.smp {
                    smp = PlatformSpec.SMP(known.value)
                    mechanisms.append("secondary CPUs: " + known.description)
                } else if let xen = model.platform, xen.hooks.contains(.cpuUp) {
                    // Xen's own platform code starts them (e.g. exynos5, omap5/dra7): nothing to generate.
                    xenStartsCPUs = xen.name
                } else if let release = releaseAddress {
                    smp = .spinTable(releaseAddress: release)
                } else if model.cpus.count > 1 {
                    throw fail("smp", "\(model.cpus.count - 1) secondary CPU(s) have no PSCI and the device tree does not say how to start them: add smp = \"mailbox\" with smp-mailbox = ADDRESS (and smp-wake) to [platform] in \(board.file)")
                }
            }
        }
        if board.arch == .arm64 && smp != .none {
            throw fail("smp", "arm64 Xen has no platform SMP hooks: use PSCI or spin-table enable-methods in the device tree")
        }

        // Reset: PSCI 0.2+ resets; otherwise the board file, or a recognised controller.
        var reset = try writes("reset")
        if reset.isEmpty && !(psciUsable && model.psci?.version.hasSystemReset ?? false) {
            if let known = model.mechanisms.reset {
                reset = known.value.map { .init(address: $0.address, value: $0.value) }
                mechanisms.append("reset: " + known.description)
            }
        }
        let poweroff = try writes("poweroff")
        let psciOff = psciUsable && (model.psci?.version.hasSystemReset ?? false)
        let poweroffNote = poweroff.isEmpty && !psciOff ? model.mechanisms.powerOff.map { "\($0.note) (\($0.source))" } : nil

        // Devices Dom0 must not get: what inspect found sharing the console page, plus the board file's list.
        var blacklist = strings("blacklist")
        for h in model.devicesToBlacklist {
            if let c = tree.node(at: h.path)?.compatibles.first, !blacklist.contains(c) { blacklist.append(c) }
        }
        let mappings = try PlatformSettings.mappings(board).map { (base: $0.base, size: $0.size) }
        var driver = model.console.verdict == .supported || model.console.verdict == .compatibleAdded ? model.console.driver?.kconfig : nil
        var generated: (name: String, disabled: String?)?
        if let name = model.console.generatedDriver {
            driver = try GeneratedUART.port(named: name, version: model.xenVersion).kconfigSymbol
            generated = (name, DriverCatalog.driver(for: model.console.compatible, arch: board.arch, version: model.xenVersion)?.0.kconfig)
        }
        let symbol = "xb_" + board.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined().lowercased()
        var gic64k = false
        if case .boolean(let v)? = p["gic-64k-stride"] { gic64k = v }
        var spec = PlatformSpec(
            symbol: symbol, name: string("name") ?? "XEN-BOARD \(board.name.uppercased())", board: board.name, arch: board.arch,
            compatibles: model.rootCompatible, smp: smp, reset: reset, poweroff: poweroff, blacklist: blacklist,
            specificMappings: mappings, dmaBitsize: int("dma-bitsize").map(Int.init), gic64KStride: gic64k,
            uartKconfig: driver, earlyPrintk: model.console.earlyPrintk, nrCPUs: max(1, model.cpus.count),
            xenCommandLine: XenCommandLine(dtuart: model.console.dtuart, dom0Memory: board.dom0Memory).text,
            poweroffNote: poweroffNote, mechanisms: mechanisms)
        if let xen = xenStartsCPUs, spec.needsPlatformFile {
            // A generated platform is Xen's only one (its Kconfig choice turns ALL_PLAT off): Xen's cpu_up would go.
            throw fail(nil, "Xen's built-in platform \(xen) starts the secondary CPUs, but a generated platform file (for reset, blacklist_dev or mappings) would replace it; set smp = \"mailbox\" (with smp-mailbox) in [platform] to generate the start as well, or drop the other [platform] keys")
        }
        spec.generatedUART = generated?.name
        spec.xenVersion = model.xenVersion
        spec.disabledUARTKconfig = generated?.disabled
        spec.compatibleVariant = model.console.variant?.name
        return spec
    }
}


extension PlatformSpec.SMP {
    /// The generated hook for a mechanism recognised in the tree.
    init(_ start: SecondaryStart) {
        switch start {
        case .mailbox(let set, let clear, let wake): self = .mailbox(set: set, clear: clear, wake: wake)
        case .bootPen(let entry, let signal, let go, let park): self = .bootPen(entry: entry, signal: signal, goSignal: go, parkSignal: park)
        }
    }
}
