import BoardModel
import DeviceTree
import PlatformQuirks
import SMPBringup
import UARTDrivers
import XenArm

/// What `xen-board new` will write, decided from the typed board model (pure; `NewBoardText` renders it).
public struct NewBoardPlan {
    /// Something a person still has to decide, and the board-file key that takes the answer (nil: the device tree
    /// itself must change).
    public struct Open: Equatable, Sendable {
        public let key: String?
        public let what: String
    }

    public struct QEMU: Equatable, Sendable {
        public let machine: String
        public let cpu: String?
        /// 0: as many CPUs as the tree has.
        public let smp: Int
        public let memoryMiB: Int
        public init(machine: String, cpu: String?, smp: Int, memoryMiB: Int) {
            self.machine = machine; self.cpu = cpu; self.smp = smp; self.memoryMiB = memoryMiB
        }
    }

    public let name: String
    public let arch: Architecture
    public let description: String
    /// `[dtb]`: `kernel-dtb` or `path`, and the value.
    public let dtbKey: String
    public let dtbValue: String
    public let dtbSource: String
    public let console: ConsolePick?
    /// Lines "from inspect" (facts of the tree the file relies on).
    public let fromInspect: [String]
    /// What `gen` / `build --xen source` will generate.
    public let generated: [String]
    public let open: [Open]
    /// Xen must be built from source (generated driver or platform code).
    public let xenFromSource: Bool
    public let qemu: QEMU?
    /// `[xen] version`, when `new` was asked for one.
    public let xenVersion: XenVersion?
    /// Set when the secondary CPUs start through the PSCI the SoC's boot loader adds (`[platform] smp = "none"`).
    public let bootLoaderPSCI: BootLoaderPSCI?
    /// Blockers of the tree the board file settles (`bootLoaderPSCI`: the secondary CPUs' start).
    public let settled: Set<FindingCode>
    /// `[memory]` when QEMU gives less RAM than the tree describes (QEMU does not rewrite every machine's /memory).
    public let ram: (base: UInt64, size: UInt64)?

    /// `xenVersion`: written as `[xen] version` (nil: none written, the board gets its architecture's default).
    public init(name: String, dtbKey: String, dtbValue: String, dtbSource: String, tree: DeviceTree, arch requested: Architecture?, qemu: QEMU?,
                xenVersion: XenVersion? = nil) {
        let arch = requested ?? Architecture.infer(from: tree)
        // The version the board file gets: its drivers decide the console and what is generated.
        let version = xenVersion ?? XenVersion.defaultVersion(for: arch)
        self.xenVersion = xenVersion
        let pick = ConsolePick.choose(in: tree, arch: arch, version: version)
        let model = BoardModel(tree: tree, file: dtbSource, arch: arch, console: pick?.key, version: version)
        self.name = name
        self.arch = arch
        self.dtbKey = dtbKey
        self.dtbValue = dtbValue
        self.dtbSource = dtbSource
        let qemu = qemu.map { QEMU(machine: $0.machine, cpu: $0.cpu, smp: $0.smp > 0 ? $0.smp : max(1, model.cpus.count), memoryMiB: $0.memoryMiB) }
        self.qemu = qemu
        console = pick
        let cores = Set(model.cpus.compactMap(\.cpu.compatible)).sorted().map { $0.split(separator: ",").last.map(String.init) ?? $0 }
        let cpuText = model.cpus.isEmpty ? "" : " (\(model.cpus.count)x \(cores.joined(separator: "/")))"
        description = (model.modelName ?? model.rootCompatible.first ?? name) + cpuText
            + (qemu.map { ", QEMU \($0.machine.split(separator: ",").first.map(String.init) ?? $0.machine)" } ?? "")
        fromInspect = Self.facts(model, pick: pick)
        let loader = BootLoaderPSCI.match(rootCompatibles: model.rootCompatible, arch: arch)
        let loaderPSCI = model.blockers.contains { loader?.settles.contains($0.code) ?? false } ? loader : nil
        bootLoaderPSCI = loaderPSCI
        settled = loaderPSCI?.settles ?? []
        let platformNeeded = model.platformFile.reasons.contains { r in
            if case .secondaryCPUsWithoutPSCI = r, loaderPSCI != nil { return false }
            return !r.isOptional
        }
        generated = Self.generatedPieces(model, board: name, platformNeeded: platformNeeded)
        xenFromSource = model.console.generatedDriver != nil || model.console.verdict == .compatibleAdded || platformNeeded
            || model.platformFile.reasons.contains(where: \.isGenerated)
        open = Self.openItems(model, pick: pick, qemu: qemu, settled: settled)
            + (loaderPSCI.map { [Open(key: "[platform] smp = \"none\" (written)", what: $0.explanation)] } ?? [])
        ram = Self.qemuRAM(model, qemu: qemu)
    }

    static func facts(_ m: BoardModel, pick: ConsolePick?) -> [String] {
        var out = ["model \"\(m.modelName ?? "-")\", compatible \(m.rootCompatible.prefix(2).joined(separator: ", ")); Xen build \(m.architecture.rawValue)"]
        if let pick {
            let how: String
            switch pick.reason {
            case .stdoutPath: how = "from /chosen/stdout-path"
            case .bootargs(let word): how = "no /chosen/stdout-path: /chosen/bootargs says \(word), so \(pick.key ?? pick.path)"
            case .firstAlias: how = "no /chosen/stdout-path: picked \(pick.key ?? pick.path), the first serial alias xen-board can drive; check it is the UART your serial port is wired to"
            case .firstInTree: how = "no /chosen/stdout-path and no usable serial alias: picked \(pick.path), the first UART xen-board can drive; check it is the one wired to your serial port"
            }
            out.append("console \(pick.path) [\(m.console.compatible.first ?? "")] (\(how)): \(m.console.verdict.rawValue), \(m.console.detail)")
        }
        let methods = Dictionary(grouping: m.cpus.map(\.method.name), by: { $0 }).map { "\($0.value.count) \($0.key)" }.sorted()
        out.append("CPUs: \(m.cpus.count) (\(methods.joined(separator: ", "))); PSCI \(m.psci.map { "\($0.version.rawValue) via \($0.method ?? "no method")" } ?? "none")")
        out.append("GIC \(m.gic.version.map { "v\($0)" } ?? "none usable"), timer \(m.timer.path ?? "none"), Xen platform \(m.platform?.name ?? "none (Generic System)")")
        return out
    }

    static func generatedPieces(_ m: BoardModel, board: String, platformNeeded: Bool) -> [String] {
        var out: [String] = []
        switch m.console.verdict {
        case .generatedDriver: out.append("UART driver generated from the \"\(m.console.generatedDriver ?? "?")\" description (early printk included)")
        case .compatibleAdded: out.append("the console's compatible added to Xen's \(m.console.driver?.name ?? "own") driver")
        case .supported, .registerCompatible, .unsupported: break
        }
        if let s = m.mechanisms.smp, m.cpus.contains(where: \.isGenerated) { out.append("secondary CPUs (\(s.value.generatedName)): \(s.description)") }
        for r in m.platformFile.reasons {
            switch r {
            case .generatedReset(let mech): out.append("reset: \(mech)")
            case .devicesToHide(let paths): out.append("blacklist_dev for \(paths.joined(separator: ", ")) (kept from Dom0)")
            case .secondaryCPUsWithoutPSCI, .noSystemReset, .generatedSecondaryStart: break
            }
        }
        if let p = m.mechanisms.powerOff, p.writes.isEmpty { out.append("no power-off hook: \(p.note)") }
        if platformNeeded || m.platformFile.reasons.contains(where: \.isGenerated) {
            out.insert("platform file xb-\(board).c with its Kconfig/Makefile entries and defconfig fragment (`xen-board gen`)", at: 0)
        }
        return out
    }

    static func qemuRAM(_ m: BoardModel, qemu: QEMU?) -> (base: UInt64, size: UInt64)? {
        guard let qemu, let first = m.memory.banks.first else { return nil }
        let (mib, overflow) = UInt64(qemu.memoryMiB).multipliedReportingOverflow(by: 1 << 20)
        let total = m.memory.banks.reduce(UInt64(0)) { $0 &+ $1.size }
        guard !overflow, mib < total, mib <= first.size else { return nil }
        return (first.address, mib)
    }
}
