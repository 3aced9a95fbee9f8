import BoardFile
import BoardModel
import DeviceTree
import Foundation
import PlatformGen
import UARTDrivers
import XenArm

/// Reach (issue 13): what `xen-board new` + `xen-board gen` make of a corpus DTB, in memory, as a typed row the
/// summary counts. The board file `new` would write is parsed back and `gen`'s spec and port are built from it,
/// exactly as the commands do (same functions), with nothing written.
public enum Reach {
    /// Name of the in-memory board (it appears in generated symbols only).
    static let boardName = "reach"

    /// The reach row of a virt-capable tree (nil for trees that are not: they are outside both shares).
    /// `new` is asked for the model's Xen version (`new --xen-version`), so gen and the compile check use it too.
    public static func row(tree: DeviceTree, file: String, model: BoardModel) -> ReachRow? {
        guard model.isVirtCapable else { return nil }
        let plan = NewBoardPlan(name: boardName, dtbKey: "path", dtbValue: file, dtbSource: file, tree: tree, arch: model.architecture, qemu: nil,
                                xenVersion: model.xenVersion)
        let family = plan.console.flatMap { ConsoleFamily($0.analysis) }
        guard plan.console != nil else {
            return ReachRow(file: file, family: nil, combination: nil, blocker: .consoleNoDriver(compatible: noConsoleDetail(model)))
        }
        let board: Board
        do {
            board = try BoardFileParser.parse(plan.text, name: boardName, file: "\(boardName).toml", directory: "/nonexistent-boards")
        } catch {
            return ReachRow(file: file, family: family, combination: nil, blocker: .genFailed(.boardFileInvalid, "new's board file does not parse: \(error)"))
        }
        let boardModel = BoardModel(tree: tree, file: file, arch: board.arch, console: board.console, uartDriver: board.consoleDriverPreference,
                                    version: board.xenVersion)
        if let b = boardModel.blockers.first(where: { !plan.settled.contains($0.code) }) {
            return ReachRow(file: file, family: family, combination: nil, blocker: .boardBlocker(b.code))
        }
        do {
            let spec = try PlatformSpecBuilder.spec(board: board, tree: tree, model: boardModel)
            let port = try GeneratedPort(spec: spec)
            return ReachRow(file: file, family: family, combination: combination(port, version: board.xenVersion), blocker: nil)
        } catch {
            return ReachRow(file: file, family: family, combination: nil, blocker: genFailed(error))
        }
    }

    /// Why no console: the tree's console compatible, marked when that UART is disabled (`new` found no enabled
    /// UART it can drive either: the tree enables none), or "none".
    static func noConsoleDetail(_ model: BoardModel) -> String {
        guard let c = model.console.compatible.first else { return "none" }
        return model.blockers.contains { $0.code == .consoleDisabled } ? "\(c) (disabled; the tree enables no UART new can drive)" : c
    }

    /// The compile-check identity of a generated port.
    public static func combination(_ port: GeneratedPort, version: XenVersion) -> CompileCombination {
        let s = port.spec
        var driver = "none"
        if let u = s.generatedUART {
            driver = "generated:\(u)" + (s.disabledUARTKconfig.map { "-without-\($0.lowercased())" } ?? "")
        } else if let k = s.uartKconfig, let d = port.variant?.driver ?? DriverCatalog.drivers(version).first(where: { $0.kconfig == k })?.name {
            driver = "xen:\(d)" + (s.compatibleVariant.map { "+\($0)" } ?? "")
        }
        return CompileCombination(driver: driver, arch: s.arch, hooks: hooks(s), xen: version)
    }

    /// The platform-file hooks a spec generates (empty: no platform file).
    public static func hooks(_ s: PlatformSpec) -> [String] {
        guard s.needsPlatformFile else { return [] }
        var out: [String] = []
        switch s.smp {
        case .none: break
        case .mailbox(_, let clear, let wake): out.append("smp-mailbox-\(wake == .sgi ? "sgi" : "sev")\(clear == nil ? "" : "-clear")")
        case .spinTable: out.append("smp-spin-table")
        case .bootPen(_, _, _, let park): out.append("smp-boot-pen\(park == nil ? "" : "-park")")
        case .powered(let p): out.append("smp-\(p.kindName)")
        }
        if !s.reset.isEmpty { out.append("reset") }
        if !s.poweroff.isEmpty { out.append("poweroff") }
        if !s.blacklist.isEmpty { out.append("blacklist") }
        if !s.specificMappings.isEmpty { out.append("mappings") }
        if s.dmaBitsize != nil { out.append("dma-bitsize") }
        if s.gic64KStride { out.append("gic-64k-stride") }
        if out.isEmpty { out.append("platform") }
        return out
    }

    /// A gen error as a blocker: its category and its reason without the board file's location (so boards failing
    /// the same way count together), both read from the error's typed fields.
    static func genFailed(_ error: Error) -> ReachBlocker {
        switch error {
        case let e as PlatformSpecBuilder.GenError: return .genFailed(e.category, String(e.reason.prefix(160)))
        case let e as TOMLError: return .genFailed(.platformSetting, String(e.message.prefix(160)))
        default: return .genFailed(.other, String("\(error)".prefix(160)))
        }
    }
}

extension Reach {
    /// `inspect --summary DIR`: the corpus summary with the reach rows, counted against the compile-check results
    /// file when one is given.
    public static func summary(directory: String, arch: Architecture?, version: XenVersion, compileChecks: String?) throws -> InspectionSummary {
        var results: CompileCheckResults?
        if let path = compileChecks {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NewBoardError(file: path, detail: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
            }
            results = try CompileCheckResults(parsing: String(decoding: data, as: UTF8.self), file: path)
        }
        return try InspectionSummary.scan(directory: directory, arch: arch, version: version, reach: { row(tree: $0, file: $1, model: $2) }, compileChecks: results)
    }
}
